import 'reflect-metadata';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClientReadableStream } from '@grpc/grpc-js';
import {
  BlinkClient,
  PartnerCredentials,
  hashPartnerSecret,
  loadConfig,
  mintToken,
  newPartnerSecret,
} from '@eos/common';
import { signPaymentCallback } from '@eos/ordering';
import { forEachBounded } from '@eos/sharding';
import {
  DEMO_ITEMS_PER_MERCHANT,
  DEMO_MERCHANTS,
  PartnerCredentialRepository,
  createPostgresDataSource,
  demoItemId,
} from '@eos/persistence';
import { LatencyRecorder, type LatencySummary } from '../load/latency-stats';
import { AppProcess, freePort } from '../load/app.process';
import { probeDeadlines } from './deadline-probe';
import { BLINK_BENCH_USAGE, parseBlinkBenchOptions, type BlinkBenchOptions } from './blink-bench-options';

// dist/bench/blink/main.js -> the repository root.
const REPO_ROOT = resolve(__dirname, '../../..');
const RESULTS_DIR = join(REPO_ROOT, 'bench/results');
const CHECKOUT_CONCURRENCY = 32;
const SEEN_TIMEOUT_MS = 60_000;
// The bound: a 200 ms deadline answers DEADLINE_EXCEEDED within 250 ms with Postgres slowed.
const PROBE_DEADLINE_MS = 200;
const PROBE_CALLS = 30;

interface FeedEvent {
  cursor: string;
  change: { orderId: string; status: string; changedAt: string } | null;
}

interface PlacedOrder {
  readonly id: string;
  readonly merchantId: string;
  readonly totalCents: number;
}

function progress(message: string): void {
  console.error(`blink bench: ${message}`);
}

function pickMerchants(count: number): string[] {
  const picked = new Set<number>();
  while (picked.size < count) picked.add(randomInt(1, DEMO_MERCHANTS + 1));
  return [...picked].map(String);
}

async function createCredential(catalogUrl: string, merchantIds: string[]): Promise<PartnerCredentials> {
  const dataSource = createPostgresDataSource(catalogUrl, {
    poolSize: 1,
    statementTimeoutMs: 5000,
    connectTimeoutMs: 2000,
    applicationName: 'eos-bench-blink',
  });
  await dataSource.initialize();
  try {
    const secret = newPartnerSecret();
    const record = await new PartnerCredentialRepository(dataSource).create({
      kind: 'MERCHANT',
      merchantIds,
      deliveryPartnerId: null,
      secretSha256: hashPartnerSecret(secret),
      // The benchmark measures the bridge, not its rate limit.
      ratePerSecond: 1_000_000,
      burst: 1_000_000,
      label: 'bench:blink',
    });
    return { partnerId: record.id, secret };
  } finally {
    await dataSource.destroy();
  }
}

async function checkout(
  forwardUrl: string,
  jwtSecret: string,
  merchantId: string,
  key: string,
): Promise<PlacedOrder> {
  const userId = String(randomInt(1, 10 ** 12));
  const picks = new Set<number>();
  while (picks.size < 2) picks.add(randomInt(1, DEMO_ITEMS_PER_MERCHANT + 1));
  const response = await fetch(`${forwardUrl}/v1/orders`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${mintToken(jwtSecret, 'customer', userId)}`,
      'content-type': 'application/json',
      'idempotency-key': key,
    },
    body: JSON.stringify({
      merchantId,
      items: [...picks].map((n) => ({ itemId: demoItemId(Number(merchantId), n), quantity: 1 })),
      address: { line1: '1 Bench Road', city: 'Shanghai', phone: '13800000000' },
    }),
  });
  const body = (await response.json()) as { id?: string; totalCents?: number; message?: string };
  if (response.status !== 201 || body.id === undefined || body.totalCents === undefined) {
    throw new Error(`checkout answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return { id: body.id, merchantId, totalCents: body.totalCents };
}

async function pay(forwardUrl: string, webhookSecret: string, order: PlacedOrder): Promise<void> {
  const raw = JSON.stringify({
    notificationId: `bench-${randomBytes(10).toString('hex')}`,
    orderId: order.id,
    amountCents: order.totalCents,
    status: 'SUCCEEDED',
    paidAt: new Date().toISOString(),
  });
  const response = await fetch(`${forwardUrl}/v1/payments/callback`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'eos-signature': signPaymentCallback(webhookSecret, raw, Date.now() / 1000),
    },
    body: raw,
  });
  await response.text();
  if (!response.ok) throw new Error(`payment callback answered ${response.status}`);
}

function line(label: string, summary: LatencySummary, extra: string): string {
  const ms = (value: number) => `${value.toFixed(1)} ms`.padStart(10);
  return `${label.padEnd(36)} p50 ${ms(summary.p50Ms)}   p99 ${ms(summary.p99Ms)}   max ${ms(summary.maxMs)}   n=${summary.count}${extra}`;
}

async function main(options: BlinkBenchOptions): Promise<void> {
  const startedAt = new Date();
  const stem = `blink-${startedAt.toISOString().replace(/[:.]/g, '-')}`;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const config = loadConfig();
  const [forwardPort, blinkPort, blinkHttpPort] = [await freePort(), await freePort(), await freePort()];
  const apps: AppProcess[] = [];
  const streams: ClientReadableStream<FeedEvent>[] = [];
  let client: BlinkClient | undefined;
  const stop = async (): Promise<void> => {
    for (const stream of streams) stream.cancel();
    client?.close();
    await Promise.all(apps.map((app) => app.stop()));
  };
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));

  try {
    progress(
      'starting forward-order (checkout, payment callback, outbox relay, merchant projector) and osc-blink',
    );
    const forwardUrl = `http://127.0.0.1:${forwardPort}`;
    apps.push(
      await AppProcess.start({
        repoRoot: REPO_ROOT,
        entry: 'dist/apps/forward-order/src/main.js',
        name: 'forward-order',
        env: { FORWARD_PORT: String(forwardPort), SWEEP_INTERVAL_MS: '0' },
        healthUrl: forwardUrl,
        logFile: join(RESULTS_DIR, `${stem}.forward-order.log`),
      }),
    );
    apps.push(
      await AppProcess.start({
        repoRoot: REPO_ROOT,
        entry: 'dist/apps/osc-blink/src/main.js',
        name: 'osc-blink',
        env: {
          BLINK_PORT: String(blinkPort),
          BLINK_HTTP_PORT: String(blinkHttpPort),
          BLINK_MAX_STREAMS_PER_PARTNER: String(options.merchants + 4),
        },
        healthUrl: `http://127.0.0.1:${blinkHttpPort}`,
        logFile: join(RESULTS_DIR, `${stem}.osc-blink.log`),
      }),
    );

    const merchants = pickMerchants(options.merchants);
    const partner = await createCredential(config.CATALOG_DATABASE_URL, merchants);
    client = new BlinkClient(`127.0.0.1:${blinkPort}`, partner);
    const feedClient = client;

    // The feed: one stream per merchant; a PAID change's delay is its arrival minus the time the
    // payment's transition was written (changedAt, the same host's clock).
    const paidSeen = new Map<string, number>();
    const acceptedSeen = new Map<string, number>();
    const feedDelay = new LatencyRecorder();
    const acceptFeedDelay = new LatencyRecorder();
    let heartbeats = 0;
    for (const merchantId of merchants) {
      const stream = feedClient.stream<FeedEvent>('MerchantOrders', 'WatchOrders', { merchantId });
      stream.on('data', (event: FeedEvent) => {
        const now = Date.now();
        if (!event.change) {
          heartbeats += 1;
          return;
        }
        const delay = now - Date.parse(event.change.changedAt);
        if (event.change.status === 'ORDER_STATUS_PAID' && !paidSeen.has(event.change.orderId)) {
          paidSeen.set(event.change.orderId, now);
          feedDelay.record(delay);
        } else if (
          event.change.status === 'ORDER_STATUS_ACCEPTED' &&
          !acceptedSeen.has(event.change.orderId)
        ) {
          acceptedSeen.set(event.change.orderId, now);
          acceptFeedDelay.record(delay);
        }
      });
      stream.on('error', () => undefined);
      streams.push(stream);
    }
    while (heartbeats < merchants.length) await sleep(20);

    progress(`checking out ${options.orders} orders over ${merchants.length} merchants`);
    const keyPrefix = `bench-blink-${randomBytes(6).toString('hex')}-`;
    const placed: PlacedOrder[] = [];
    await forEachBounded(
      Array.from({ length: options.orders }, (_, index) => index),
      CHECKOUT_CONCURRENCY,
      async (index) => {
        placed.push(
          await checkout(
            forwardUrl,
            config.JWT_SECRET,
            merchants[index % merchants.length],
            `${keyPrefix}${index}`,
          ),
        );
      },
    );

    progress(`paying them at ${options.payRate}/s; the feed delay is measured meanwhile`);
    const payStarted = Date.now();
    const payments: Promise<void>[] = [];
    for (let index = 0; index < placed.length; index += 1) {
      const due = payStarted + (index * 1000) / options.payRate;
      if (due > Date.now()) await sleep(due - Date.now());
      payments.push(pay(forwardUrl, config.PAYMENT_WEBHOOK_SECRET, placed[index]));
    }
    await Promise.all(payments);
    const seenBy = Date.now() + SEEN_TIMEOUT_MS;
    while (paidSeen.size < placed.length && Date.now() < seenBy) await sleep(50);
    const missingPaid = placed.length - paidSeen.size;

    progress(
      `accepting them over gRPC, ${options.concurrency} calls in flight, ${options.deadlineMs} ms deadline`,
    );
    const acceptLatency = new LatencyRecorder();
    const acceptErrors = new Map<string, number>();
    const acceptStarted = performance.now();
    await forEachBounded(placed, options.concurrency, async (order) => {
      const started = performance.now();
      try {
        await feedClient.unary(
          'MerchantOrders',
          'AcceptOrder',
          { orderId: order.id, merchantId: order.merchantId },
          { deadlineMs: options.deadlineMs },
        );
        acceptLatency.record(performance.now() - started);
      } catch (error) {
        const code = (error as { code?: number }).code;
        acceptErrors.set(String(code), (acceptErrors.get(String(code)) ?? 0) + 1);
      }
    });
    const acceptSeconds = (performance.now() - acceptStarted) / 1000;
    const acceptedBy = Date.now() + 10_000;
    while (acceptedSeen.size < acceptLatency.count && Date.now() < acceptedBy) await sleep(50);

    progress(
      `probing deadlines: ${PROBE_CALLS} MarkReady calls, ${PROBE_DEADLINE_MS} ms deadline, row locked`,
    );
    const deadlines = await probeDeadlines(
      config,
      feedClient,
      placed.slice(0, PROBE_CALLS),
      PROBE_DEADLINE_MS,
    );

    const report = {
      startedAt: startedAt.toISOString(),
      options,
      cpus: cpus().length,
      acceptCall: {
        ...acceptLatency.summary(),
        callsPerSecond: acceptLatency.count / acceptSeconds,
        errors: Object.fromEntries(acceptErrors),
      },
      feedDelayPaid: { ...feedDelay.summary(), missing: missingPaid },
      feedDelayAccepted: acceptFeedDelay.summary(),
      deadlines,
    };
    const path = join(RESULTS_DIR, `${stem}.json`);
    writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
    console.log(
      [
        `osc-blink: ${options.orders} orders, ${merchants.length} merchants, payments at ${options.payRate}/s, accepts ${options.concurrency} in flight (${cpus().length} cores, apps and Postgres on this machine)`,
        line(
          'AcceptOrder call latency',
          acceptLatency.summary(),
          `   ${report.acceptCall.callsPerSecond.toFixed(0)} calls/s, errors ${JSON.stringify(report.acceptCall.errors)}`,
        ),
        line('feed delay: paid -> seen on stream', feedDelay.summary(), `   missing ${missingPaid}`),
        line('feed delay: accepted -> seen', acceptFeedDelay.summary(), ''),
        line(
          `${PROBE_DEADLINE_MS} ms deadline, Postgres row locked`,
          deadlines.answered,
          `   codes ${JSON.stringify(deadlines.codes)}, statements left waiting ${deadlines.leftWaiting}`,
        ),
        `results: ${path}`,
      ].join('\n'),
    );
  } finally {
    await stop();
  }
}

main(parseBlinkBenchOptionsOrExit()).catch((error: unknown) => {
  console.error(
    `blink bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
});

function parseBlinkBenchOptionsOrExit(): BlinkBenchOptions {
  try {
    return parseBlinkBenchOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${BLINK_BENCH_USAGE}`);
    process.exit(2);
  }
}
