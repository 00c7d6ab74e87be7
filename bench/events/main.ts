import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '@eos/common';
import { runCheckoutLoad } from '../checkout/checkout-load';
import { CheckoutRequests } from '../checkout/checkout-request';
import { CustomerPool } from '../checkout/customer-pool';
import { ForwardOrderProcess } from '../load/forward-order.process';
import { warmMenuCache } from '../checkout/menu-cache-warmup';
import { EventLatencyTap } from './event-latency.tap';
import { EVENTS_BENCH_USAGE, parseEventsBenchOptions, type EventsBenchOptions } from './events-bench-options';
import { histogramPercentileMs, observationCount, scrapeHistogram } from './histogram-scrape';

// dist/bench/events/main.js -> the repository root.
const REPO_ROOT = resolve(__dirname, '../../..');
const RESULTS_DIR = join(REPO_ROOT, 'bench/results');

function progress(message: string): void {
  console.error(`events bench: ${message}`);
}

const fixed = (value: number): string => (Number.isNaN(value) ? '-' : value.toFixed(1));

async function main(options: EventsBenchOptions): Promise<void> {
  const startedAt = new Date();
  const stem = `events-${startedAt.toISOString().replace(/[:.]/g, '-')}`;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const appLog = join(RESULTS_DIR, `${stem}.forward-order.log`);
  const config = loadConfig();
  const checkouts = new CheckoutRequests(CustomerPool.create(config.JWT_SECRET, options.users));
  const tap = await EventLatencyTap.open(config.RABBITMQ_URL);
  let app: ForwardOrderProcess | undefined;
  try {
    progress('starting forward-order (checkout, outbox relay, merchant projector)');
    app = await ForwardOrderProcess.start({ repoRoot: REPO_ROOT, logFile: appLog });
    const running = app;
    await warmMenuCache(running.url);
    if (options.warmupSeconds > 0) {
      progress(`warming up for ${options.warmupSeconds} s`);
      await runCheckoutLoad({
        url: running.url,
        connections: options.connections,
        durationSeconds: options.warmupSeconds,
        checkouts,
      });
      await sleep(2_000);
    }
    const metrics = `${running.url}/metrics`;
    const projectorLabels = 'consumer="merchant-projector"';
    const lagBefore = await scrapeHistogram(metrics, 'eos_consumer_lag_seconds', projectorLabels);
    const confirmBefore = await scrapeHistogram(metrics, 'eos_outbox_commit_to_confirm_seconds', '');

    progress(`checkout load for ${options.durationSeconds} s at ${options.connections} connections`);
    const from = Date.now();
    tap.measure(from, Number.POSITIVE_INFINITY);
    const load = await runCheckoutLoad({
      url: running.url,
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      checkouts,
      appCpuSeconds: () => running.cpuSeconds(),
    });
    const to = Date.now();
    tap.measure(from, to);

    const deadline = Date.now() + options.drainSeconds * 1000;
    while (tap.received < load.orders && Date.now() < deadline) await sleep(100);
    const drainedAfterMs = Date.now() - to;
    await sleep(1_000); // the projector's last events, for its histogram
    const lagAfter = await scrapeHistogram(metrics, 'eos_consumer_lag_seconds', projectorLabels);
    const confirmAfter = await scrapeHistogram(metrics, 'eos_outbox_commit_to_confirm_seconds', '');

    const consume = tap.summary();
    const report = {
      scenario: 'events',
      startedAt: startedAt.toISOString(),
      options,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
      checkout: {
        orders: load.orders,
        ordersPerSecond: load.ordersPerSecond,
        p50Ms: load.latency.p50Ms,
        p99Ms: load.latency.p99Ms,
        errors: load.errors,
        appCores: load.appCores,
      },
      commitToConsume: { ...consume, expected: load.orders, duplicates: tap.duplicateCount, drainedAfterMs },
      projectorLag: {
        observations: observationCount(lagBefore, lagAfter),
        p50Ms: histogramPercentileMs(lagBefore, lagAfter, 50),
        p99Ms: histogramPercentileMs(lagBefore, lagAfter, 99),
      },
      commitToConfirm: {
        observations: observationCount(confirmBefore, confirmAfter),
        p50Ms: histogramPercentileMs(confirmBefore, confirmAfter, 50),
        p99Ms: histogramPercentileMs(confirmBefore, confirmAfter, 99),
      },
    };
    const path = join(RESULTS_DIR, `${stem}.json`);
    writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
    console.log(
      [
        `events: commit-to-consume under checkout load (${report.startedAt})`,
        `  ${options.connections} connections, ${options.durationSeconds} s; app, Postgres, RabbitMQ and load share ${report.machine.cpus} CPUs`,
        '',
        `checkout            ${fixed(load.ordersPerSecond)} orders/s, p50 ${fixed(load.latency.p50Ms)} ms, p99 ${fixed(load.latency.p99Ms)} ms, ${load.errors} errors`,
        `commit-to-consume   p50 ${fixed(consume.p50Ms)} ms, p99 ${fixed(consume.p99Ms)} ms, max ${fixed(consume.maxMs)} ms` +
          ` (${consume.count}/${load.orders} events, ${tap.duplicateCount} duplicates; exact, at a consumer of the exchange)`,
        `projector lag       p50 ${fixed(report.projectorLag.p50Ms)} ms, p99 ${fixed(report.projectorLag.p99Ms)} ms` +
          ` (eos_consumer_lag_seconds, bucket-interpolated)`,
        `commit-to-confirm   p50 ${fixed(report.commitToConfirm.p50Ms)} ms, p99 ${fixed(report.commitToConfirm.p99Ms)} ms` +
          ` (eos_outbox_commit_to_confirm_seconds, bucket-interpolated)`,
        `last event arrived  ${drainedAfterMs} ms after the load stopped`,
        '',
        `results: ${path}`,
        `app log: ${appLog}`,
      ].join('\n'),
    );
  } finally {
    await app?.stop();
    await tap.close();
  }
}

let options: EventsBenchOptions;
try {
  options = parseEventsBenchOptions(process.argv.slice(2));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${EVENTS_BENCH_USAGE}`);
  process.exit(2);
}
main(options).catch((error: unknown) => {
  console.error(
    `events bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
});
