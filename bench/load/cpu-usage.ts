import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Busy and total CPU milliseconds of the whole machine, summed over its cores. */
export interface MachineCpuSnapshot {
  readonly busyMs: number;
  readonly totalMs: number;
}

export function machineCpu(): MachineCpuSnapshot {
  let busyMs = 0;
  let totalMs = 0;
  for (const { times } of cpus()) {
    const total = times.user + times.nice + times.sys + times.irq + times.idle;
    totalMs += total;
    busyMs += total - times.idle;
  }
  return { busyMs, totalMs };
}

/** Share of the machine's CPU that was busy between two snapshots (0..1). */
export function busyShare(before: MachineCpuSnapshot, after: MachineCpuSnapshot): number {
  const total = after.totalMs - before.totalMs;
  return total > 0 ? (after.busyMs - before.busyMs) / total : Number.NaN;
}

// USER_HZ, the unit of /proc/<pid>/stat times, is 100 on every mainstream Linux build; Node has
// no sysconf() to ask, and a wrong guess would only scale the nice-to-have CPU figure.
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU seconds a process has used so far, or undefined off Linux or once it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 (utime) and 15 (stime) of proc(5); the slice starts at field 3.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}

/** CPU seconds this process has used so far (user + system, every thread). */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
