import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EOS_CONFIG, EosConfig, mintToken } from '@eos/common';
import { ShardDataSources } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import {
  PaymentProviderHarness,
  PrometheusScrape,
  RunningApp,
  checkoutBody,
  eventually,
  http,
  freePort,
  newIdempotencyKey,
  newUserId,
  parsePrometheusText,
  paymentBody,
  postPaymentCallback,
  samplesOf,
  signCallback,
  startHttpApp,
  untilConsuming,
} from '@eos/testing';
import { ForwardOrderModule } from '../apps/forward-order/src/forward-order.module';
import { startBlinkApp } from '../apps/osc-blink/src/blink-app.factory';
import { RefundExecutor } from '../apps/reverse-order/src/refunds/refund.executor';
import { ReverseOrderModule } from '../apps/reverse-order/src/reverse-order.module';

const APPS = ['forward-order', 'reverse-order', 'osc-blink'] as const;
type AppName = (typeof APPS)[number];

interface CatalogueRow {
  readonly apps: readonly AppName[];
  readonly metric: string;
  readonly type: string;
}

/** The rows of the one table in docs/metrics.md: app(s), metric, type, labels, meaning. */
function metricsCatalogue(): CatalogueRow[] {
  const text = readFileSync(join(__dirname, '..', 'docs', 'metrics.md'), 'utf8');
  const rows: CatalogueRow[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('|')) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const metric = /^`([a-z_:][a-z0-9_:]*)`$/.exec(cells[1] ?? '')?.[1];
    if (!metric) continue; // the header and its rule
    const apps =
      cells[0] === 'all'
        ? [...APPS]
        : cells[0].split(',').map((app) => {
            const name = app.trim();
            if (!(APPS as readonly string[]).includes(name))
              throw new Error(`unknown app "${name}" in docs/metrics.md`);
            return name as AppName;
          });
    rows.push({ apps, metric, type: cells[2] });
  }
  return rows;
}

/** An id in a label (order, user, request...) would make a series per id: none may look like one. */
const ID_LIKE = /\d{8,}/;

/**
 * The metrics catalogue is the truth about what eos exports. The three apps run in this process,
 * so they share prom-client's default registry (and its `app` label): each app's /metrics shows the
 * metrics of all three. What this test proves per app is that the app serves every metric the table
 * names for it; the samples it requires come from the requests this test itself makes.
 */
describe('metrics catalogue (e2e: the three apps on the real services)', () => {
  let provider: PaymentProviderHarness;
  let forward: RunningApp;
  let reverse: RunningApp;
  let blink: NestFastifyApplication;
  let blinkUrl: string;
  let config: EosConfig;

  beforeAll(async () => {
    const secret = 'metrics-e2e-provider-secret';
    provider = await PaymentProviderHarness.start(secret);
    Object.assign(process.env, {
      PAYMENT_PROVIDER_URL: provider.url,
      PAYMENT_PROVIDER_SECRET: secret,
      // Three apps beside other suites on one Postgres: small pools.
      PG_POOL_SIZE: '4',
      REVERSE_PG_POOL_SIZE: '4',
    });
    forward = await startHttpApp(ForwardOrderModule, 'forward-order');
    reverse = await startHttpApp(ReverseOrderModule, 'reverse-order');
    blink = await startBlinkApp({ host: '127.0.0.1', grpcPort: await freePort(), httpPort: 0 });
    blink.useLogger(['error', 'warn']);
    blinkUrl = (await blink.getUrl()).replace('[::1]', '127.0.0.1');
    config = forward.app.get<EosConfig>(EOS_CONFIG);
    await untilConsuming(forward.url);
    await untilConsuming(reverse.url);
  });

  afterAll(async () => {
    await blink?.close();
    await reverse?.close();
    await forward?.close();
    await provider?.close();
  });

  async function scrape(url: string): Promise<PrometheusScrape> {
    const answer = await http<string>('GET', `${url}/metrics`);
    expect(answer.status).toBe(200);
    return parsePrometheusText(answer.body);
  }

  /** Checkout, payment and the customer's cancellation, whose refund the executor pays back. */
  async function checkoutPayAndRefund(): Promise<string> {
    const userId = newUserId();
    const token = mintToken(config.JWT_SECRET, 'customer', userId);
    const created = await http<{ id: string; totalCents: number }>('POST', `${forward.url}/v1/orders`, {
      token,
      body: checkoutBody(),
      headers: { 'idempotency-key': newIdempotencyKey() },
    });
    expect(created.status).toBe(201);
    const order = created.body;

    const callback = signCallback(config.PAYMENT_WEBHOOK_SECRET, paymentBody(order.id, order.totalCents));
    const paid = await postPaymentCallback<{ outcome: string }>(
      forward.url,
      callback.raw,
      callback.signature,
    );
    expect(paid.body.outcome).toBe('APPLIED');

    const cancelled = await http('POST', `${reverse.url}/v1/orders/${order.id}/cancellation`, {
      token,
      body: { reason: 'ordered by mistake' },
    });
    expect(cancelled.status).toBe(201);

    // The refund due is taken by the intake consumer or the executor's catch-up, then paid.
    const router = reverse.app.get(ShardRouter);
    const route = router.routeOrder(order.id);
    const executor = reverse.app.get(RefundExecutor);
    const db = reverse.app.get(ShardDataSources).get(route.database);
    const refunded = await eventually(
      async () => {
        await executor.runShard(route.shard);
        const rows: { status: string }[] = await db.query(
          `SELECT status FROM ${route.schema}.refunds WHERE order_id = $1`,
          [order.id],
        );
        return rows.length === 1 && rows[0].status === 'SUCCEEDED';
      },
      60_000,
      100,
    );
    expect(refunded).toBe(true);
    return order.id;
  }

  it('finds every documented metric, with its documented type, in the app(s) the table names; no label holds an id', async () => {
    const orderId = await checkoutPayAndRefund();
    const scrapes: Record<AppName, PrometheusScrape> = {
      'forward-order': await scrape(forward.url),
      'reverse-order': await scrape(reverse.url),
      'osc-blink': await scrape(blinkUrl),
    };

    const catalogue = metricsCatalogue();
    expect(catalogue.length).toBeGreaterThan(30);
    expect(new Set(catalogue.map((row) => row.metric)).size).toBe(catalogue.length);
    const missing = catalogue.flatMap((row) =>
      row.apps
        .filter((app) => scrapes[app].types.get(row.metric) !== row.type)
        .map(
          (app) =>
            `${app}: ${row.metric} (${row.type}), found ${scrapes[app].types.get(row.metric) ?? 'nothing'}`,
        ),
    );
    expect(missing).toEqual([]);

    // Every eos_ metric the apps export is in the table (the table is the whole catalogue).
    const documented = new Set(catalogue.map((row) => row.metric));
    const undocumented = APPS.flatMap((app) =>
      [...scrapes[app].types.keys()].filter((name) => name.startsWith('eos_') && !documented.has(name)),
    );
    expect([...new Set(undocumented)]).toEqual([]);

    // The flow above left samples in the metrics the operating issue asks for.
    const fwd = scrapes['forward-order'];
    const has = (scraped: PrometheusScrape, metric: string, labels: Record<string, string> = {}): boolean =>
      samplesOf(scraped, metric).some(
        (sample) =>
          sample.value > 0 && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
      );
    expect(
      has(fwd, 'eos_http_requests_total', { method: 'POST', route: '/v1/orders', status_class: '2xx' }),
    ).toBe(true);
    expect(
      has(fwd, 'eos_http_request_duration_seconds_count', { method: 'POST', route: '/v1/payments/callback' }),
    ).toBe(true);
    expect(
      has(scrapes['reverse-order'], 'eos_http_requests_total', {
        route: '/v1/orders/:orderId/cancellation',
        status_class: '2xx',
      }),
    ).toBe(true);
    expect(has(fwd, 'eos_orders_created_total', { kind: 'DELIVERY' })).toBe(true);
    expect(has(fwd, 'eos_order_transitions_total', { action: 'PAY', outcome: 'applied' })).toBe(true);
    expect(has(fwd, 'eos_cache_requests_total', { cache: 'catalog:menu' })).toBe(true);
    expect(has(fwd, 'eos_pg_pool_connections', { pool: 'eos', state: 'total' })).toBe(true);
    expect(samplesOf(fwd, 'eos_circuit_breaker_state').length).toBeGreaterThan(0);
    expect(samplesOf(fwd, 'eos_outbox_backlog').length).toBeGreaterThan(0);
    expect(samplesOf(fwd, 'eos_outbox_oldest_unsent_seconds').length).toBeGreaterThan(0);
    expect(has(scrapes['reverse-order'], 'eos_refunds_settled_total', { status: 'SUCCEEDED' })).toBe(true);

    // Bounded labels: route templates, never a URL with its ids; no label value anywhere looks like an id.
    const labelled = APPS.flatMap((app) =>
      scrapes[app].samples.flatMap((sample) =>
        Object.entries(sample.labels).map(([key, value]) => ({ app, metric: sample.name, key, value })),
      ),
    );
    expect(labelled.filter((label) => label.value.includes(orderId))).toEqual([]);
    expect(labelled.filter((label) => ID_LIKE.test(label.value))).toEqual([]);
  });
});
