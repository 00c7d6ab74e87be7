import { setTimeout as sleep } from 'node:timers/promises';
import { ForwardOrderProcess } from '../load/forward-order.process';
import { median } from '../load/latency-stats';
import type { PhaseResult } from './phase-result';
import { benchDatabaseNames, benchShardMapJson, provisionShardMap } from './shard-layout';
import { SETTLE_MS, type SuiteContext } from './suite-context';

export interface ScaleConfiguration {
  readonly processes: number;
  readonly databases: number;
  readonly databaseNames: readonly string[];
  readonly phases: readonly PhaseResult[];
  readonly medianOrdersPerSecond: number;
  readonly medianP99Ms: number;
  readonly errors: number;
  readonly medianAppCores: number;
  readonly medianPostgresCores: number;
}

export interface ScaleScenarioReport {
  readonly scenario: 'scale';
  readonly connections: number;
  readonly configurations: readonly ScaleConfiguration[];
}

/** A worker's start is slower than one app's: several bootstrap at once on two cores. */
const CLUSTER_READY_TIMEOUT_MS = 90_000;

/**
 * Checkout at `--connections` (closed model) against forward-order as N processes on one port
 * (FORWARD_ORDER_PROCESSES, node:cluster) over shard maps spread across 2 and 4 databases of the
 * bench's own (eos_bench_<n>db_*, created with `eos setup`), one configuration after another.
 */
export async function runScaleScenario(context: SuiteContext): Promise<ScaleScenarioReport> {
  const { options, config } = context;
  // The main app would compete for the same cores.
  await context.stopMainApp();
  const configurations: ScaleConfiguration[] = [];
  for (const databases of options.scale.databases) {
    const shardMap = benchShardMapJson(config.POSTGRES_URL, databases);
    context.progress(`scale: provisioning ${benchDatabaseNames(databases).join(', ')}`);
    await provisionShardMap(context.repoRoot, shardMap, context.logFile(`setup-${databases}db`));
    for (const processes of options.scale.processes) {
      const label = `${processes} process${processes > 1 ? 'es' : ''}, ${databases} databases`;
      context.progress(`scale: starting forward-order with ${label}`);
      const app = await ForwardOrderProcess.start({
        repoRoot: context.repoRoot,
        logFile: context.logFile(`forward-order-${processes}p-${databases}db`),
        env: { EOS_SHARD_MAP: shardMap, FORWARD_ORDER_PROCESSES: String(processes) },
        readyTimeoutMs: CLUSTER_READY_TIMEOUT_MS,
      });
      const phases: PhaseResult[] = [];
      try {
        await context.warmUp(app);
        for (let run = 1; run <= options.scale.runs; run += 1) {
          context.progress(`scale: ${label}, run ${run}/${options.scale.runs}, ${options.durationSeconds} s`);
          const phase = await context.checkoutPhase(`scale ${label} run ${run}`, app);
          phases.push(phase);
          context.phases.push(phase);
          await sleep(SETTLE_MS);
        }
      } finally {
        await app.stop();
      }
      configurations.push({
        processes,
        databases,
        databaseNames: benchDatabaseNames(databases),
        phases,
        medianOrdersPerSecond: median(phases.map((p) => p.traffic.ordersPerSecond)),
        medianP99Ms: median(phases.map((p) => p.traffic.latency.p99Ms)),
        errors: phases.reduce((sum, p) => sum + p.traffic.errors, 0),
        medianAppCores: median(phases.map((p) => p.resources.cores.app ?? Number.NaN)),
        medianPostgresCores: median(phases.map((p) => p.resources.cores.postgres ?? Number.NaN)),
      });
    }
  }
  return { scenario: 'scale', connections: options.connections, configurations };
}
