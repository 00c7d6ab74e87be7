import 'reflect-metadata';
import { connectRedis, createRedisClient } from '@eos/cache';
import { loadConfig } from '@eos/common';
import { OrderEventType, OrderStatus } from '@eos/domain';
import { EmissionFlagStore } from '@eos/messaging';
import { ShardDataSources, shardMapFrom } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import {
  OrderEventTap,
  RunningModule,
  eventually,
  startRelayInstance,
  syntheticOrder,
  unsentOutboxRows,
  writeOrderHistory,
  type SyntheticOrder,
} from '@eos/testing';

const LIFE = [
  OrderStatus.Created,
  OrderStatus.Paid,
  OrderStatus.Accepted,
  OrderStatus.Ready,
  OrderStatus.Delivering,
];

/**
 * Two relay instances (each with its own broker connection and pools, as two app processes would
 * have) against the real Postgres and RabbitMQ, watched through a queue of the test's own.
 */
describe('outbox relay (real Postgres, RabbitMQ, Redis)', () => {
  const config = loadConfig();
  const map = shardMapFrom(config);
  const router = new ShardRouter(map);
  const sources = new ShardDataSources(map, {
    poolSize: 3,
    statementTimeoutMs: 5000,
    connectTimeoutMs: 2000,
    applicationName: 'eos-test-relay',
  });
  const redis = createRedisClient({ url: config.REDIS_URL, commandTimeoutMs: 2000, name: 'eos-test-relay' });
  const flags = new EmissionFlagStore(redis);
  const relays: RunningModule[] = [];
  const written: SyntheticOrder[] = [];
  let tap: OrderEventTap;

  beforeAll(async () => {
    await sources.initialize();
    await connectRedis(redis);
    tap = await OrderEventTap.create(config.RABBITMQ_URL);
    relays.push(await startRelayInstance(), await startRelayInstance());
  });

  afterAll(async () => {
    await flags.set(OrderEventType.Ready, true);
    await Promise.all(relays.map((relay) => relay.close()));
    await tap.delete();
    for (const order of written) {
      const db = sources.get(order.route.database);
      await db.query(`DELETE FROM ${order.route.schema}.outbox WHERE order_id = $1`, [order.id]);
      await db.query(`DELETE FROM ${order.route.schema}.orders WHERE id = $1`, [order.id]);
      // A projector running elsewhere may have projected these events.
      const merchant = router.routeMerchant(order.merchantId);
      await sources
        .get(merchant.database)
        .query(`DELETE FROM ${merchant.schema}.merchant_orders WHERE order_id = $1`, [order.id]);
    }
    redis.disconnect();
    await sources.destroy();
  });

  const versionsSeen = (orderId: string): number[] =>
    tap.events.filter((event) => event.orderId === orderId).map((event) => event.orderVersion);

  it('publishes every row exactly once with two relays competing, each order’s events in version order', async () => {
    const orders = Array.from({ length: 120 }, () => syntheticOrder(router));
    written.push(...orders);
    await Promise.all(
      orders.map((order) => writeOrderHistory(sources.get(order.route.database), order, LIFE)),
    );
    const ids = new Set(orders.map((order) => order.id));
    await tap.drain(
      (events) => events.filter((event) => ids.has(event.orderId)).length >= ids.size * LIFE.length,
      60_000,
      1000,
    );

    const counts = tap.countsFor(ids);
    expect(counts.size).toBe(orders.length * LIFE.length);
    expect([...counts.values()].filter((count) => count !== 1)).toEqual([]);
    for (const order of orders) expect(versionsSeen(order.id)).toEqual([1, 2, 3, 4, 5]);
    expect(await unsentOutboxRows(sources, router, [...ids])).toBe(0);
  });

  it('never skips a row whose transaction commits after a later one (no id cursor)', async () => {
    const late = syntheticOrder(router);
    const early = syntheticOrder(router, { userId: String(BigInt(late.userId) + 120n) });
    written.push(late, early);
    const runner = sources.get(late.route.database).createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await writeOrderHistory(runner.manager, late, [OrderStatus.Created]); // draws the smaller outbox id
      await writeOrderHistory(sources.get(early.route.database), early, [OrderStatus.Created]);
      await tap.drain((events) => events.some((event) => event.orderId === early.id), 20_000, 0);
      expect(versionsSeen(early.id)).toEqual([1]);
      expect(versionsSeen(late.id)).toEqual([]);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    await tap.drain((events) => events.some((event) => event.orderId === late.id), 20_000, 0);
    expect(versionsSeen(late.id)).toEqual([1]);
    const ids: { order_id: string; id: string }[] = await sources
      .get(late.route.database)
      .query(
        `SELECT order_id::text AS order_id, id FROM ${late.route.schema}.outbox WHERE order_id = ANY($1::bigint[])`,
        [[late.id, early.id]],
      );
    const idOf = (orderId: string): bigint => BigInt(ids.find((row) => row.order_id === orderId)?.id ?? '0');
    expect(idOf(late.id) < idOf(early.id)).toBe(true);
  });

  it('holds a switched-off event type, and every later event of its order, until switched on again', async () => {
    await flags.set(OrderEventType.Ready, false);
    await new Promise((resolve) => setTimeout(resolve, config.EMISSION_REFRESH_MS + 500));
    const held = syntheticOrder(router);
    const free = syntheticOrder(router);
    written.push(held, free);
    await writeOrderHistory(sources.get(held.route.database), held, LIFE);
    await writeOrderHistory(sources.get(free.route.database), free, [OrderStatus.Created]);
    await tap.drain(
      (events) =>
        events.filter((event) => event.orderId === held.id).length >= 3 &&
        events.some((e) => e.orderId === free.id),
      20_000,
      1500,
    );
    expect(versionsSeen(held.id)).toEqual([1, 2, 3]);
    expect(versionsSeen(free.id)).toEqual([1]);
    expect(await unsentOutboxRows(sources, router, [held.id])).toBe(2);

    await flags.set(OrderEventType.Ready, true);
    await tap.drain((events) => events.filter((event) => event.orderId === held.id).length >= 5, 20_000, 500);
    expect(versionsSeen(held.id)).toEqual([1, 2, 3, 4, 5]);
    expect(
      await eventually(async () => (await unsentOutboxRows(sources, router, [held.id])) === 0, 5000),
    ).toBe(true);
  });
});
