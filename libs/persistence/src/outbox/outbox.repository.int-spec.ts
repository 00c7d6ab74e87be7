import 'reflect-metadata';
import { OrderStatus } from '@eos/domain';
import { OutboxRepository } from '@eos/persistence';
import { syntheticOrder, writeOrderHistory, testShards } from '@eos/testing';
import type { EntityManager } from 'typeorm';

/**
 * The outbox SQL on a real shard database. Every test writes its rows inside a transaction it rolls
 * back: uncommitted rows are invisible to any relay running elsewhere, so nothing races the test.
 */
describe('OutboxRepository (real Postgres)', () => {
  const { router, sources } = testShards('outbox');
  const outbox = new OutboxRepository();

  beforeAll(() => sources.initialize());
  afterAll(() => sources.destroy());

  /** Runs `work` in a transaction on the database of `userId`'s shard, then rolls it back. */
  async function rolledBack(database: string, work: (tx: EntityManager) => Promise<void>): Promise<void> {
    const runner = sources.get(database).createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await work(runner.manager);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  it('claims unsent rows in id order, holding a held type and every later event of its order', async () => {
    const first = syntheticOrder(router);
    const userOnSameShard = String(BigInt(first.userId) + 120n);
    const second = syntheticOrder(router, { userId: userOnSameShard });
    const third = syntheticOrder(router, { userId: String(BigInt(first.userId) + 240n) });
    const route = first.route;
    await rolledBack(route.database, async (tx) => {
      const a = await writeOrderHistory(tx, first, [
        OrderStatus.Created,
        OrderStatus.Paid,
        OrderStatus.Accepted,
        OrderStatus.Ready,
        OrderStatus.Delivering,
      ]);
      const b = await writeOrderHistory(tx, second, [
        OrderStatus.Created,
        OrderStatus.Paid,
        OrderStatus.Accepted,
        OrderStatus.Ready,
      ]);
      const c = await writeOrderHistory(tx, third, [OrderStatus.Created]);
      const ours = new Set([...a.eventIds, ...b.eventIds, ...c.eventIds]);

      const all = (await outbox.claim(tx, [route], 1000, [])).filter((row) => ours.has(row.eventId));
      expect(all.map((row) => row.eventId)).toEqual([...a.eventIds, ...b.eventIds, ...c.eventIds]);
      expect(all.every((row, i) => i === 0 || BigInt(all[i - 1].id) < BigInt(row.id))).toBe(true);
      expect(all[0]).toMatchObject({
        shard: route.shard,
        orderId: first.id,
        eventType: 'order.created',
        orderVersion: 1,
      });

      const held = (await outbox.claim(tx, [route], 1000, ['order.ready'])).filter((row) =>
        ours.has(row.eventId),
      );
      // The first order's ready (v4) is held, so its delivering (v5) must wait behind it.
      expect(held.map((row) => row.eventId)).toEqual([
        ...a.eventIds.slice(0, 3),
        ...b.eventIds.slice(0, 3),
        ...c.eventIds,
      ]);
    });
  });

  it('takes each shard’s relay lock for one transaction only', async () => {
    const routes = [router.routeUserShard(1), router.routeUserShard(2), router.routeUserShard(3)];
    expect(new Set(routes.map((route) => route.database)).size).toBe(1);
    const database = routes[0].database;
    await rolledBack(database, async (first) => {
      // A relay elsewhere may hold a shard for a moment: ask until both are ours.
      let mine: number[] = [];
      for (let attempt = 0; attempt < 50 && mine.length < 2; attempt += 1) {
        mine = [...new Set([...mine, ...(await outbox.lockShards(first, [1, 2]))])];
      }
      expect(mine.sort()).toEqual([1, 2]);
      await rolledBack(database, async (second) => {
        const got = await outbox.lockShards(second, [1, 2, 3]);
        expect(got.filter((shard) => shard !== 3)).toEqual([]);
      });
    });
    // Released with the transaction.
    await rolledBack(database, async (again) => {
      let got: number[] = [];
      for (let attempt = 0; attempt < 50 && got.length < 2; attempt += 1)
        got = await outbox.lockShards(again, [1, 2]);
      expect(got.sort()).toEqual([1, 2]);
    });
  });

  it('marks rows published in one statement across shards, and finds shards with unsent rows', async () => {
    const first = syntheticOrder(router);
    const other = syntheticOrder(router, { userId: String(BigInt(first.userId) + 1n) });
    if (other.route.database !== first.route.database) return; // both must share one transaction
    await rolledBack(first.route.database, async (tx) => {
      await writeOrderHistory(tx, first, [OrderStatus.Created]);
      await writeOrderHistory(tx, other, [OrderStatus.Created]);
      expect(await outbox.shardsWithUnsent(tx, [first.route, other.route], [])).toEqual(
        expect.arrayContaining([first.route.shard, other.route.shard]),
      );
      const rows = (await outbox.claim(tx, [first.route, other.route], 1000, [])).filter((row) =>
        [first.id, other.id].includes(row.orderId),
      );
      await outbox.markPublished(
        tx,
        new Map([
          [first.route, rows.filter((row) => row.shard === first.route.shard).map((row) => row.id)],
          [other.route, rows.filter((row) => row.shard === other.route.shard).map((row) => row.id)],
        ]),
      );
      const again = (await outbox.claim(tx, [first.route, other.route], 1000, [])).filter((row) =>
        [first.id, other.id].includes(row.orderId),
      );
      expect(again).toEqual([]);
    });
  });

  it('prunes rows published before the cutoff, never unsent or recent ones', async () => {
    const route = router.routeUserShard(7);
    await rolledBack(route.database, async (tx) => {
      // Ids below every real one, so these rows head the primary key, where pruning looks.
      const base = -1_000_000 - Math.floor(Math.random() * 1_000_000);
      const insert = (id: number, publishedAt: string | null) =>
        tx.query(
          `INSERT INTO ${route.schema}.outbox (id, order_id, event_type, order_version, payload, created_at, published_at)
           VALUES ($1, 1, 'order.created', 1, '{}', now() - interval '3 days', $2)`,
          [id, publishedAt],
        );
      await insert(base, new Date(Date.now() - 48 * 3_600_000).toISOString());
      await insert(base + 1, null);
      await insert(base + 2, new Date(Date.now() - 3_600_000).toISOString());
      const deleted = await outbox.prune(tx, route, new Date(Date.now() - 24 * 3_600_000), 5000);
      expect(deleted).toBeGreaterThanOrEqual(1);
      const left: { id: number }[] = await tx.query(
        `SELECT id::int AS id FROM ${route.schema}.outbox WHERE id = ANY($1::bigint[]) ORDER BY id`,
        [[base, base + 1, base + 2]],
      );
      expect(left.map((row) => row.id)).toEqual([base + 1, base + 2]);
    });
  });
});
