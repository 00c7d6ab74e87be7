import 'reflect-metadata';
import { EOS_CONFIG, EosConfig } from '@eos/common';
import { DimensionReconciler, MerchantOrderRepository, ShardDataSources, totalDrift } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import {
  OrderEventTap,
  PlacedOrder,
  RunningApp,
  RunningModule,
  eventually,
  http,
  merchantRowsOf,
  placeOrders,
  startHttpApp,
  startRelayInstance,
  unsentOutboxRows,
} from '@eos/testing';
import { ForwardOrderModule } from '../src/forward-order.module';

const ORDERS = 10_000;

/**
 * The whole event path at volume: checkout over HTTP writes orders and their outbox rows, two relay
 * instances (the app's and a second one) publish them, the app's projector keeps the merchant
 * dimension, and reconciliation compares both dimensions.
 */
describe('order events end to end (real Postgres, Redis, RabbitMQ)', () => {
  let running: RunningApp;
  let secondRelay: RunningModule;
  let config: EosConfig;
  let router: ShardRouter;
  let sources: ShardDataSources;
  let tap: OrderEventTap;

  beforeAll(async () => {
    running = await startHttpApp(ForwardOrderModule, 'forward-order');
    config = running.app.get<EosConfig>(EOS_CONFIG);
    router = running.app.get(ShardRouter);
    sources = running.app.get(ShardDataSources);
    tap = await OrderEventTap.create(config.RABBITMQ_URL, 'order.created');
    secondRelay = await startRelayInstance();
  });

  afterAll(async () => {
    await secondRelay?.close();
    await tap?.delete();
    await running?.close();
  });

  it(`publishes each of ${ORDERS} checkouts' events exactly once; the merchant dimension ends equal to the user dimension`, async () => {
    const from = new Date();
    const run = await placeOrders({
      url: running.url,
      jwtSecret: config.JWT_SECRET,
      count: ORDERS,
      concurrency: 48,
    });
    const to = new Date(Date.now() + 1000);
    expect(run.failures).toEqual([]);
    expect(run.orders).toHaveLength(ORDERS);
    const ids = run.orders.map((order) => order.id);

    expect(await eventually(async () => (await unsentOutboxRows(sources, router, ids)) === 0, 60_000)).toBe(
      true,
    );
    const ours = new Set(ids);
    await tap.drain(
      (events) => events.filter((event) => ours.has(event.orderId)).length >= ORDERS,
      60_000,
      2000,
    );
    const counts = tap.countsFor(ours);
    expect(counts.size).toBe(ORDERS);
    expect([...counts.values()].filter((count) => count !== 1)).toEqual([]);

    const byId = new Map(run.orders.map((order) => [order.id, order]));
    const agrees = async (): Promise<boolean> => {
      const rows = await merchantRowsOf(sources, router, run.orders);
      return (
        rows.size === ORDERS &&
        [...rows.values()].every((row) => {
          const order = byId.get(row.orderId) as PlacedOrder;
          return (
            row.merchantId === order.merchantId &&
            row.userId === order.userId &&
            row.status === order.status &&
            row.version === order.version &&
            row.totalCents === order.totalCents
          );
        })
      );
    };
    expect(await eventually(agrees, 60_000, 500)).toBe(true);

    // Over the run's time range, which other tests' orders may share: theirs converge too.
    const reconciler = new DimensionReconciler(sources, router);
    let report = await reconciler.reconcile({ from, to, repair: false });
    for (let attempt = 0; attempt < 30 && totalDrift(report) > 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      report = await reconciler.reconcile({ from, to, repair: false });
    }
    expect(report.userOrders).toBeGreaterThanOrEqual(ORDERS);
    expect(report.merchantOrders).toBe(report.userOrders);
    expect({ missing: report.missing, mismatched: report.mismatched, orphaned: report.orphaned }).toEqual({
      missing: 0,
      mismatched: 0,
      orphaned: 0,
    });

    // Merchant listing reads the projected dimension.
    const sample = run.orders[0];
    const listed = await running.app
      .get(MerchantOrderRepository)
      .listForMerchant(sample.merchantId, { limit: 100, beforeId: String(BigInt(sample.id) + 1n) });
    expect(listed[0]).toMatchObject({ orderId: sample.id, status: 'CREATED', version: 1 });
  }, 240_000);

  it('reports the relay and consumer metrics, and readiness with the projector consuming', async () => {
    const run = await placeOrders({
      url: running.url,
      jwtSecret: config.JWT_SECRET,
      count: 50,
      concurrency: 5,
    });
    expect(
      await eventually(
        async () => (await merchantRowsOf(sources, router, run.orders)).size === run.orders.length,
        30_000,
      ),
    ).toBe(true);
    const metrics = await http<string>('GET', `${running.url}/metrics`);
    // Default labels (app) sit among the others, in an order that differs by metric type.
    for (const series of [
      /eos_outbox_backlog\{[^}]*shard="u000"/,
      /eos_outbox_commit_to_confirm_seconds_count\{/,
      // Another process consuming the same queue may take some deliveries, never all of them.
      /eos_consumer_lag_seconds_count\{[^}]*consumer="merchant-projector"[^}]*\} [1-9]/,
      /eos_outbox_published_total\{[^}]*event_type="order.created"/,
      /eos_emission_enabled\{[^}]*scope="global"[^}]*\} 1/,
    ]) {
      expect(metrics.body).toMatch(series);
    }
    const ready = await http<{ status: string; info: Record<string, unknown> }>(
      'GET',
      `${running.url}/health/ready`,
    );
    expect([ready.status, ready.body.info.rabbitmq]).toEqual([200, { status: 'up' }]);
  });
});
