import { readdirSync, readFileSync } from 'node:fs';

// USER_HZ, the unit of /proc/<pid>/stat times: 100 on every mainstream Linux build (see cpu-usage.ts).
const CLOCK_TICKS_PER_SECOND = 100;

/** What /proc/<pid>/stat says about one process. */
export interface ProcStat {
  readonly pid: number;
  /** The executable's name as the kernel keeps it (at most 15 characters): `postgres`, `beam.smp`. */
  readonly comm: string;
  readonly ppid: number;
  /** User + system CPU seconds of the process itself (every thread). */
  readonly cpuSeconds: number;
  /** User + system CPU seconds of its children that have exited and been waited for. */
  readonly reapedChildrenCpuSeconds: number;
}

/**
 * Parses one /proc/<pid>/stat line (proc(5)). The command name (field 2) is in parentheses and may
 * hold spaces or parentheses itself, so the fields are counted after its last ')'.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const comm = text.slice(open + 1, close);
  // fields[0] is field 3 (state); utime, stime, cutime, cstime are fields 14 to 17.
  const fields = text
    .slice(close + 2)
    .trim()
    .split(' ');
  const ppid = Number(fields[1]);
  const [utime, stime, cutime, cstime] = [fields[11], fields[12], fields[13], fields[14]].map(Number);
  if (![pid, ppid, utime, stime, cutime, cstime].every(Number.isFinite)) return undefined;
  return {
    pid,
    comm,
    ppid,
    cpuSeconds: (utime + stime) / CLOCK_TICKS_PER_SECOND,
    reapedChildrenCpuSeconds: (cutime + cstime) / CLOCK_TICKS_PER_SECOND,
  };
}

/** Resident memory now and its high-water mark, from /proc/<pid>/status, in KiB. */
export interface ProcMemory {
  readonly rssKiB: number;
  readonly hwmKiB: number;
}

export function parseProcStatusMemory(text: string): ProcMemory | undefined {
  const read = (field: string): number | undefined => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text);
    return match ? Number(match[1]) : undefined;
  };
  const rssKiB = read('VmRSS');
  const hwmKiB = read('VmHWM');
  return rssKiB === undefined || hwmKiB === undefined ? undefined : { rssKiB, hwmKiB };
}

/** Every process /proc lists now; empty off Linux. A process may vanish while it is read: skipped. */
export function readProcessTable(): ProcStat[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const table: ProcStat[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = parseProcStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (stat) table.push(stat);
    } catch {
      // Exited between readdir and read.
    }
  }
  return table;
}

export function readProcessMemory(pid: number): ProcMemory | undefined {
  try {
    return parseProcStatusMemory(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The given roots and every process below them. */
export function descendantsAndSelf(table: readonly ProcStat[], roots: readonly number[]): ProcStat[] {
  const members = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const process of table) {
      if (!members.has(process.pid) && members.has(process.ppid)) {
        members.add(process.pid);
        grew = true;
      }
    }
  }
  return table.filter((process) => members.has(process.pid));
}

/**
 * CPU seconds a group of processes has used, counting each CPU second once: a live process's own,
 * plus what its exited children used (cutime/cstime, e.g. a Postgres backend that ended and was
 * reaped by the postmaster). The difference of two such totals is the group's use in between.
 */
export function groupCpuSeconds(members: readonly ProcStat[]): number {
  let total = 0;
  for (const member of members) total += member.cpuSeconds + member.reapedChildrenCpuSeconds;
  return total;
}
