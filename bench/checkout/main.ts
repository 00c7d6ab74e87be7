import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '@eos/common';
import { shardMapFrom } from '@eos/persistence';
import { LOGICAL_SHARDS, ShardRouter } from '@eos/sharding';
import { BENCH_USAGE, parseBenchOptions, type BenchOptions } from './bench-options';
import { openCheckoutCeiling } from './checkout-ceiling';
import { runCheckoutLoad } from './checkout-load';
import { formatReport, sideMedians, type CheckoutReport, type RunResult } from './checkout-report';
import { CheckoutRequests } from './checkout-request';
import { connectionBudgetWarnings } from './connection-budget';
import { CustomerPool } from './customer-pool';
import { ForwardOrderProcess } from '../load/forward-order.process';
import { median } from '../load/latency-stats';
import { warmMenuCache } from './menu-cache-warmup';
import { hitRatio, menuCacheCounts, redisKeyCounts } from './cache-observation';
import { writeResultsFile } from './results-file';
import {
  compareVirtualWithDelivery,
  formatVirtualComparison,
  type VirtualComparison,
} from './virtual-comparison';
import { VirtualOrderRequests } from './virtual-order-requests';

// dist/bench/checkout/main.js -> the repository root.
const REPO_ROOT = resolve(__dirname, '../../..');
const RESULTS_DIR = join(REPO_ROOT, 'bench/results');
/** Lets the app finish requests autocannon abandoned at its deadline before the next phase. */
const SETTLE_MS = 1_000;

function progress(message: string): void {
  console.error(`checkout bench: ${message}`);
}

async function main(options: BenchOptions): Promise<void> {
  const startedAt = new Date();
  const stem = `checkout-${startedAt.toISOString().replace(/[:.]/g, '-')}`;
  const appLog = join(RESULTS_DIR, `${stem}.forward-order.log`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const config = loadConfig();
  const router = new ShardRouter(shardMapFrom(config));

  const warnings = await connectionBudgetWarnings(router, config.CATALOG_DATABASE_URL, config.PG_POOL_SIZE);
  for (const warning of warnings) progress(`warning: ${warning}`);
  progress(`minting tokens for ${options.users} customers, loading menus`);
  const customers = CustomerPool.create(config.JWT_SECRET, options.users);
  const checkouts = new CheckoutRequests(customers);
  const {
    ceiling,
    workerNumber: ceilingWorkerNumber,
    close: closeCeiling,
  } = await openCheckoutCeiling(config, router);

  let app: ForwardOrderProcess | undefined;
  const stopOnSignal = (): void => {
    void (app?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  const runs: RunResult[] = [];
  const cacheLines: string[] = [];
  let virtualComparison: VirtualComparison | undefined;
  try {
    progress('starting forward-order');
    app = await ForwardOrderProcess.start({ repoRoot: REPO_ROOT, logFile: appLog });
    const running = app;
    const phase = { connections: options.connections, checkouts };
    const appPhase = (durationSeconds: number) =>
      runCheckoutLoad({
        ...phase,
        url: running.url,
        durationSeconds,
        appCpuSeconds: () => running.cpuSeconds(),
      });
    const ceilingPhase = (durationSeconds: number) => ceiling.run({ ...phase, durationSeconds });

    progress(`ready at ${app.url} (pid ${String(app.pid)}); warming the menu cache and both sides`);
    await warmMenuCache(app.url);
    if (options.warmupSeconds > 0) {
      await appPhase(options.warmupSeconds);
      await sleep(SETTLE_MS);
      await ceilingPhase(options.warmupSeconds);
    }

    for (let run = 1; run <= options.runs; run += 1) {
      progress(`run ${run}/${options.runs}: app for ${options.durationSeconds} s`);
      const [countsBefore, keysBefore] = await Promise.all([
        menuCacheCounts(running.url),
        redisKeyCounts(config.REDIS_URL),
      ]);
      const appResult = await appPhase(options.durationSeconds);
      const [countsAfter, keysAfter] = await Promise.all([
        menuCacheCounts(running.url),
        redisKeyCounts(config.REDIS_URL),
      ]);
      cacheLines.push(
        `run ${run}: menu cache hit ratio ${(100 * hitRatio(countsBefore, countsAfter)).toFixed(2)}%; ` +
          `redis keys before/after: menu ${keysBefore.menu}/${keysAfter.menu}, ` +
          `idempotency ${keysBefore.idempotency}/${keysAfter.idempotency}, all ${keysBefore.total}/${keysAfter.total}`,
      );
      await sleep(SETTLE_MS);
      progress(`run ${run}/${options.runs}: ceiling for ${options.durationSeconds} s`);
      const ceilingResult = await ceilingPhase(options.durationSeconds);
      await sleep(SETTLE_MS);
      runs.push({
        run,
        app: appResult,
        ceiling: ceilingResult,
        appOverCeiling: appResult.ordersPerSecond / ceilingResult.ordersPerSecond,
      });
    }
    if (options.virtual) {
      virtualComparison = await compareVirtualWithDelivery({
        url: running.url,
        connections: options.connections,
        durationSeconds: options.durationSeconds,
        runs: options.runs,
        // The delivery side has had the warm-up and every measured app phase by now.
        virtualWarmupSeconds: options.warmupSeconds + options.runs * options.durationSeconds,
        checkouts,
        virtualOrders: new VirtualOrderRequests(customers),
        appCpuSeconds: () => running.cpuSeconds(),
        settleMs: SETTLE_MS,
        progress,
      });
    }
  } finally {
    await app?.stop();
    await closeCeiling();
  }

  const report: CheckoutReport = {
    scenario: 'checkout',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    options,
    setup: {
      shardDatabases: router.databases(),
      pgPoolSizePerDatabase: config.PG_POOL_SIZE,
      logicalUserShards: LOGICAL_SHARDS,
      ceilingWorkerNumber,
      appLog,
    },
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      platform: `${platform()} ${release()}`,
      node: process.version,
    },
    runs,
    median: {
      app: sideMedians(runs.map((run) => run.app)),
      ceiling: sideMedians(runs.map((run) => run.ceiling)),
      appOverCeiling: median(runs.map((run) => run.appOverCeiling)),
    },
    ...(virtualComparison ? { virtualComparison } : {}),
  };
  console.log(formatReport(report));
  console.log(`\n${cacheLines.join('\n')}`);
  if (virtualComparison) console.log(`\n${formatVirtualComparison(virtualComparison, options)}`);
  console.log(`\nresults: ${writeResultsFile(RESULTS_DIR, stem, report)}`);
  console.log(`app log: ${appLog}`);
}

let options: BenchOptions;
try {
  options = parseBenchOptions(process.argv.slice(2));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${BENCH_USAGE}`);
  process.exit(2);
}
main(options).catch((error: unknown) => {
  console.error(
    `checkout bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
});
