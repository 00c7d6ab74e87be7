import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { connectRedis, createRedisClient } from '@eos/cache';
import { EOS_CONFIG, EosConfig, loadConfig } from '@eos/common';
import {
  EmissionFlagStore,
  ORDER_EVENTS_EXCHANGE,
  OrderEventConsumer,
  consumerQueues,
  failedAttempts,
} from '@eos/messaging';
import { ShardDataSources } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import {
  CheckoutRun,
  OrderEventTap,
  PlacedOrder,
  RunningApp,
  consumerConnectionNames,
  eventually,
  firstPublishedAt,
  http,
  merchantRowVersions,
  merchantRowsOf,
  placeOrders,
  queueState,
  republishEvents,
  startHttpApp,
  startRabbitMq,
  stopRabbitMq,
  holdsMessage,
  takeMessage,
  unsentOutboxRows,
} from '@eos/testing';
import { ForwardOrderModule } from '../src/forward-order.module';

const RUN = 2_000;
const OUTAGE_MS = 30_000;
const projector = consumerQueues(OrderEventConsumer.MerchantProjector);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Faults on the event path, against the real services: the broker stopped in the middle of a run,
 * emission switched off and on in the middle of a run, and a poison message.
 */
describe('order events under faults (real Postgres, Redis, RabbitMQ)', () => {
  let running: RunningApp;
  let config: EosConfig;
  let router: ShardRouter;
  let sources: ShardDataSources;
  let tap: OrderEventTap;
  const redis = createRedisClient({
    url: loadConfig().REDIS_URL,
    commandTimeoutMs: 2000,
    name: 'eos-test-faults',
  });
  let flags: EmissionFlagStore;

  beforeAll(async () => {
    running = await startHttpApp(ForwardOrderModule, 'forward-order');
    config = running.app.get<EosConfig>(EOS_CONFIG);
    router = running.app.get(ShardRouter);
    sources = running.app.get(ShardDataSources);
    tap = await OrderEventTap.create(config.RABBITMQ_URL, 'order.created');
    await connectRedis(redis);
    flags = new EmissionFlagStore(redis);
  });

  afterAll(async () => {
    // Whatever failed, leave the machine as found: broker up, emission on.
    await startRabbitMq(config.RABBITMQ_URL).catch(() => undefined);
    await flags.set('global', true).catch(() => undefined);
    redis.disconnect();
    await tap?.delete().catch(() => undefined);
    await running?.close();
  });

  /**
   * After a run: every order's event published and seen on the exchange at least once, the merchant
   * dimension equal to the user dimension, and every event delivered again changes no merchant
   * row (Postgres writes a new row version, a new xmin, for any update).
   */
  async function expectEveryEventOnceApplied(run: CheckoutRun): Promise<{ duplicates: number }> {
    const ids = run.orders.map((order) => order.id);
    expect(
      await eventually(async () => (await unsentOutboxRows(sources, router, ids)) === 0, 90_000, 500),
    ).toBe(true);
    const ours = new Set(ids);
    await tap.drain(
      (events) => new Set(events.filter((e) => ours.has(e.orderId)).map((e) => e.eventId)).size >= ids.length,
      60_000,
      1000,
    );
    const counts = tap.countsFor(ours);
    expect(counts.size).toBe(ids.length);

    const byId = new Map(run.orders.map((order) => [order.id, order]));
    const agrees = async (): Promise<boolean> => {
      const rows = await merchantRowsOf(sources, router, run.orders);
      return (
        rows.size === run.orders.length &&
        [...rows.values()].every((row) => {
          const order = byId.get(row.orderId) as PlacedOrder;
          return (
            row.status === order.status &&
            row.version === order.version &&
            row.totalCents === order.totalCents
          );
        })
      );
    };
    expect(await eventually(agrees, 60_000, 500)).toBe(true);

    const before = await merchantRowVersions(sources, router, run.orders);
    expect(await republishEvents(config.RABBITMQ_URL, sources, router, ids)).toBe(ids.length);
    expect(
      await eventually(
        async () => (await queueState(config.RABBITMQ_URL, projector.main)).messages === 0,
        60_000,
      ),
    ).toBe(true);
    await sleep(1000); // the last deliveries in flight
    expect(await merchantRowVersions(sources, router, run.orders)).toEqual(before);
    expect(await agrees()).toBe(true);
    return { duplicates: [...counts.values()].reduce((sum, count) => sum + count - 1, 0) };
  }

  it(`keeps every checkout and loses no event while RabbitMQ is stopped for ${OUTAGE_MS / 1000} s of a ${RUN}-order run`, async () => {
    let stoppedAt = 0;
    let startedAt = 0;
    let created = 0;
    const outage = (async () => {
      while (created < RUN / 8) await sleep(50);
      await stopRabbitMq();
      stoppedAt = Date.now();
      try {
        await sleep(OUTAGE_MS);
      } finally {
        await startRabbitMq(config.RABBITMQ_URL);
        startedAt = Date.now();
      }
    })();
    const run = await placeOrders({
      url: running.url,
      jwtSecret: config.JWT_SECRET,
      count: RUN,
      concurrency: 16,
      perSecond: RUN / 45,
      onProgress: (count) => {
        created = count;
      },
    });
    await outage;
    expect(run.failures).toEqual([]);
    expect(run.orders).toHaveLength(RUN);
    const duringOutage = run.orders.filter((order) => {
      const at = Date.parse(order.createdAt);
      return at > stoppedAt && at < startedAt;
    });
    expect(duringOutage.length).toBeGreaterThan(RUN / 3);

    const { duplicates } = await expectEveryEventOnceApplied(run);
    console.log(
      `broker outage: ${duringOutage.length} orders during it, ${duplicates} duplicate deliveries, none applied twice`,
    );
    // This process's projector consumer came back after the reconnect (not just anyone's).
    expect(
      await eventually(
        async () => (await consumerConnectionNames(projector.main)).includes(`eos:${process.pid}`),
        20_000,
      ),
    ).toBe(true);
    expect(
      await eventually(async () => {
        // RabbitMQ only degrades this app, so readiness stays 200 and says so; wait until it no longer does.
        const ready = await http<{ info?: Record<string, { degraded?: boolean }> }>(
          'GET',
          `${running.url}/health/ready`,
        );
        return ready.status === 200 && ready.body.info?.rabbitmq?.degraded !== true;
      }, 15_000),
    ).toBe(true);
  }, 300_000);

  it(`holds events while emission is switched off in the middle of a ${RUN}-order run, and delivers them all once on`, async () => {
    let created = 0;
    let heldFrom = 0;
    let heldUntil = 0;
    const switching = (async () => {
      while (created < RUN / 4) await sleep(50);
      await flags.set('global', false);
      // Relays re-read the flags every EMISSION_REFRESH_MS; from then on nothing may leave.
      heldFrom = Date.now() + config.EMISSION_REFRESH_MS + 500;
      while (created < (RUN * 3) / 4) await sleep(50);
      heldUntil = Date.now();
      await flags.set('global', true);
    })();
    const run = await placeOrders({
      url: running.url,
      jwtSecret: config.JWT_SECRET,
      count: RUN,
      concurrency: 16,
      perSecond: RUN / 20,
      onProgress: (count) => {
        created = count;
      },
    });
    await switching;
    expect(run.failures).toEqual([]);
    expect(run.orders).toHaveLength(RUN);

    const held = run.orders.filter((order) => {
      const at = Date.parse(order.createdAt);
      return at > heldFrom && at < heldUntil;
    });
    expect(held.length).toBeGreaterThan(RUN / 5);
    await expectEveryEventOnceApplied(run);
    // None of the events written while emission was off left before it was switched on again.
    const first = await firstPublishedAt(
      sources,
      router,
      held.map((order) => order.id),
    );
    expect(first?.getTime()).toBeGreaterThanOrEqual(heldUntil);
  }, 300_000);

  it('parks a poison message after 1 + CONSUMER_MAX_RETRIES tries without holding up the events behind it', async () => {
    const messageId = randomUUID();
    const connection = await amqp.connect(config.RABBITMQ_URL);
    try {
      const channel = await connection.createConfirmChannel();
      const poison = {
        eventId: messageId,
        orderId: '123',
        eventType: 'order.created',
        orderVersion: 1,
        occurredAt: new Date().toISOString(),
        payload: {
          orderId: '123',
          userId: '42',
          merchantId: 'not-a-merchant',
          kind: 'DELIVERY',
          status: 'CREATED',
          previousStatus: null,
          totalCents: 100,
          currency: 'CNY',
          version: 1,
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
        },
      };
      channel.publish(ORDER_EVENTS_EXCHANGE, 'order.created', Buffer.from(JSON.stringify(poison)), {
        persistent: true,
        messageId,
        contentType: 'application/json',
      });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }

    const behind = await placeOrders({
      url: running.url,
      jwtSecret: config.JWT_SECRET,
      count: 20,
      concurrency: 4,
    });
    expect(behind.failures).toEqual([]);
    const projected = await eventually(
      async () => (await merchantRowsOf(sources, router, behind.orders)).size === behind.orders.length,
      30_000,
      100,
    );
    expect(projected).toBe(true);
    // The events behind the poison were applied while it was still going round its retries: it has
    // not reached the parking queue yet (an order of events, not a wall-clock bound).
    expect(await holdsMessage(config.RABBITMQ_URL, projector.parking, messageId)).toBe(false);

    const parked = await takeMessage(
      config.RABBITMQ_URL,
      projector.parking,
      messageId,
      (config.CONSUMER_MAX_RETRIES + 1) * config.CONSUMER_RETRY_DELAY_MS + 15_000,
    );
    expect(parked).not.toBeNull();
    const headers = parked?.properties.headers ?? {};
    expect(headers['x-eos-attempts']).toBe(config.CONSUMER_MAX_RETRIES + 1);
    expect(headers['x-eos-consumer']).toBe(OrderEventConsumer.MerchantProjector);
    expect(String(headers['x-eos-error'])).toContain('merchantId');
    expect(failedAttempts(parked?.properties ?? {}, projector.main)).toBe(config.CONSUMER_MAX_RETRIES);
  }, 120_000);
});
