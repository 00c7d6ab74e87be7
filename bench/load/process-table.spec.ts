import {
  descendantsAndSelf,
  groupCpuSeconds,
  parseProcStat,
  parseProcStatusMemory,
  type ProcStat,
} from './process-table';

// A /proc/<pid>/stat line: utime 250, stime 50, cutime 1000, cstime 200 (in 1/100 s).
const statLine = (pid: number, comm: string, ppid: number): string =>
  `${pid} (${comm}) S ${ppid} 3281 5082 0 -1 4194304 128 0 0 0 250 50 1000 200 20 0 1 0 132758 3133440 393 18446744073709551615`;

describe('parseProcStat', () => {
  it('reads pid, name, parent and the CPU times in seconds', () => {
    expect(parseProcStat(statLine(3443, 'postgres', 3281))).toEqual({
      pid: 3443,
      comm: 'postgres',
      ppid: 3281,
      cpuSeconds: 3,
      reapedChildrenCpuSeconds: 12,
    });
  });

  it('keeps a name with spaces and parentheses whole and counts fields after its last parenthesis', () => {
    const stat = parseProcStat(statLine(7, 'a (b) c', 1));
    expect(stat?.comm).toBe('a (b) c');
    expect(stat?.ppid).toBe(1);
    expect(stat?.cpuSeconds).toBe(3);
  });

  it('refuses text that is not a stat line', () => {
    expect(parseProcStat('')).toBeUndefined();
    expect(parseProcStat('12 (x) S')).toBeUndefined();
  });
});

describe('parseProcStatusMemory', () => {
  it('reads VmRSS and VmHWM in KiB', () => {
    const status = 'Name:\tnode\nVmPeak:\t 900 kB\nVmHWM:\t   2020 kB\nVmRSS:\t    1900 kB\nThreads:\t1\n';
    expect(parseProcStatusMemory(status)).toEqual({ rssKiB: 1900, hwmKiB: 2020 });
  });

  it('gives nothing for a kernel thread without memory lines', () => {
    expect(parseProcStatusMemory('Name:\tkthreadd\nState:\tS\n')).toBeUndefined();
  });
});

describe('process groups', () => {
  const process = (pid: number, ppid: number, cpuSeconds: number, reaped = 0): ProcStat => ({
    pid,
    ppid,
    comm: 'node',
    cpuSeconds,
    reapedChildrenCpuSeconds: reaped,
  });
  const table = [
    process(1, 0, 100),
    process(10, 1, 5, 2),
    process(11, 10, 1),
    process(12, 10, 1),
    process(20, 1, 7),
  ];

  it('finds every process below the roots, however deep', () => {
    expect(descendantsAndSelf(table, [10]).map((p) => p.pid)).toEqual([10, 11, 12]);
    expect(descendantsAndSelf(table, [99])).toEqual([]);
  });

  it('adds the members own CPU and what their exited children used', () => {
    expect(groupCpuSeconds(descendantsAndSelf(table, [10]))).toBe(5 + 2 + 1 + 1);
  });
});
