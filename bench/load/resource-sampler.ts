import { performance } from 'node:perf_hooks';
import { busyShare, machineCpu, ownCpuSeconds, type MachineCpuSnapshot } from './cpu-usage';
import {
  descendantsAndSelf,
  groupCpuSeconds,
  readProcessMemory,
  readProcessTable,
  type ProcStat,
} from './process-table';

/** The processes whose CPU is reported apart. */
export const PROCESS_GROUPS = ['app', 'postgres', 'redis', 'rabbitmq', 'loadGenerator'] as const;
export type ProcessGroup = (typeof PROCESS_GROUPS)[number];

export interface RssSample {
  /** Seconds since the sampler started. */
  readonly atSeconds: number;
  /** Resident memory of every app process together. */
  readonly mib: number;
}

export interface ResourceUsage {
  readonly seconds: number;
  /** CPU seconds each group used while the sampler ran; `other:<name>` for extra apps. */
  readonly cpuSeconds: Readonly<Record<string, number>>;
  /** The same per wall second: cores kept busy. */
  readonly cores: Readonly<Record<string, number>>;
  /** Share of the machine's CPU that was busy (0..1). */
  readonly machineBusy: number;
  readonly appRss: {
    /** Largest sum of the app processes' VmRSS seen in one sample. */
    readonly peakMiB: number;
    /** Largest VmHWM (the kernel's own peak) of any single app process at the last sample. */
    readonly largestProcessHwmMiB: number;
    readonly samples: readonly RssSample[];
  };
}

export interface ResourceSamplerOptions {
  /** The app's root process(es); their descendants (cluster workers) are counted with them. */
  readonly appPids: readonly number[];
  /** Further processes (and their descendants) to report apart, by name: reverse-order, provider. */
  readonly extraPids?: Readonly<Record<string, number>>;
  readonly intervalMs?: number;
}

const KIB_PER_MIB = 1024;

function groupMembers(
  table: readonly ProcStat[],
  options: ResourceSamplerOptions,
): Record<string, ProcStat[]> {
  const beams = table.filter((p) => p.comm === 'beam.smp').map((p) => p.pid);
  const groups: Record<string, ProcStat[]> = {
    app: descendantsAndSelf(table, options.appPids),
    postgres: table.filter((p) => p.comm === 'postgres' || p.comm === 'postmaster'),
    redis: table.filter((p) => p.comm.startsWith('redis-server')),
    rabbitmq: descendantsAndSelf(table, beams),
  };
  for (const [name, pid] of Object.entries(options.extraPids ?? {})) {
    groups[`other:${name}`] = descendantsAndSelf(table, [pid]);
  }
  return groups;
}

function cpuTotals(options: ResourceSamplerOptions): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const [name, members] of Object.entries(groupMembers(readProcessTable(), options))) {
    totals[name] = groupCpuSeconds(members);
  }
  totals.loadGenerator = ownCpuSeconds();
  return totals;
}

/**
 * Samples, while a phase runs, the CPU of each process group (app and its workers, every Postgres
 * backend and auxiliary, redis-server, RabbitMQ's beam.smp, the load generator itself) and the app's
 * resident memory, from /proc. Off Linux the figures are zeros.
 */
export class ResourceSampler {
  private readonly samples: RssSample[] = [];
  private peakMiB = 0;
  private hwmMiB = 0;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly options: ResourceSamplerOptions,
    private readonly startedAt: number,
    private readonly cpuBefore: Record<string, number>,
    private readonly machineBefore: MachineCpuSnapshot,
  ) {
    this.sampleMemory();
    this.timer = setInterval(() => this.sampleMemory(), options.intervalMs ?? 1_000);
    this.timer.unref();
  }

  static start(options: ResourceSamplerOptions): ResourceSampler {
    return new ResourceSampler(options, performance.now(), cpuTotals(options), machineCpu());
  }

  stop(): ResourceUsage {
    clearInterval(this.timer);
    this.sampleMemory();
    const seconds = (performance.now() - this.startedAt) / 1000;
    const after = cpuTotals(this.options);
    const cpuSeconds: Record<string, number> = {};
    const cores: Record<string, number> = {};
    for (const [name, total] of Object.entries(after)) {
      // A group that appeared during the phase (an app started late) counts from zero.
      cpuSeconds[name] = Math.max(0, total - (this.cpuBefore[name] ?? 0));
      cores[name] = seconds > 0 ? cpuSeconds[name] / seconds : 0;
    }
    return {
      seconds,
      cpuSeconds,
      cores,
      machineBusy: busyShare(this.machineBefore, machineCpu()),
      appRss: { peakMiB: this.peakMiB, largestProcessHwmMiB: this.hwmMiB, samples: [...this.samples] },
    };
  }

  private sampleMemory(): void {
    const app = descendantsAndSelf(readProcessTable(), this.options.appPids);
    let rssKiB = 0;
    for (const member of app) {
      const memory = readProcessMemory(member.pid);
      if (!memory) continue;
      rssKiB += memory.rssKiB;
      this.hwmMiB = Math.max(this.hwmMiB, memory.hwmKiB / KIB_PER_MIB);
    }
    const mib = rssKiB / KIB_PER_MIB;
    this.peakMiB = Math.max(this.peakMiB, mib);
    this.samples.push({ atSeconds: (performance.now() - this.startedAt) / 1000, mib });
  }
}

/** The app's RSS at the sample nearest to `atSeconds` (NaN when there is none). */
export function rssNear(samples: readonly RssSample[], atSeconds: number): number {
  let best: RssSample | undefined;
  for (const sample of samples) {
    if (!best || Math.abs(sample.atSeconds - atSeconds) < Math.abs(best.atSeconds - atSeconds)) best = sample;
  }
  return best?.mib ?? Number.NaN;
}
