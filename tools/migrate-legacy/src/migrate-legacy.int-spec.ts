import 'reflect-metadata';
import { forEachBounded } from '@eos/sharding';
import { LegacyOrderLookup, UserOrderRepository } from '@eos/persistence';
import { testShards } from '@eos/testing';
import { Client, Pool } from 'pg';
import { backfillPhase } from './backfill.phase';
import { cutoverPhase, rollbackPhase } from './cutover.phase';
import { dualWritePhase } from './dual-write.phase';
import { seedLegacyOrders } from './legacy-seed';
import { openMigration, type MigrationContext } from './migration.context';
import { formatVerifyReport, verifyPhase } from './verify.phase';

const ORDERS = 100_000;
// Users and merchants of id ranges no other test uses: the shard databases are the shared test ones.
const USER_BASE = 9_100_000_000;
const USERS = 40_000;
const MERCHANT_BASE = 9_100_000_000;
const MERCHANTS = 1000;
const STATUSES = ['PAID', 'CONFIRMED', 'SHIPPING', 'DELIVERED', 'FINISHED', 'CANCELED', 'REFUNDED'];

/**
 * The "done when": 100,000 legacy orders move into the shards while a writer keeps
 * inserting, updating and deleting legacy orders; verify finds no difference; old ids resolve
 * through the id mapping after the cut-over; a rollback before the write switch restores the
 * legacy path. Its own legacy and catalog databases, dropped after; the shared test shard
 * databases (provisioning 240 more schemas would take longer than the migration), with users and
 * merchants of their own, whose rows are deleted after.
 */
describe('migrate-legacy (real Postgres and Redis)', () => {
  const { config, map: shardMap, router } = testShards('migrate-legacy');
  const server = config.POSTGRES_URL.replace(/\/$/, '');
  const tag = `${process.pid}_${Date.now() % 100_000}`;
  const names = { legacy: `eos_legacy_it_${tag}`, catalog: `eos_legacy_it_catalog_${tag}` };
  const legacyUrl = `${server}/${names.legacy}`;
  const catalogUrl = `${server}/${names.catalog}`;
  const log: string[] = [];
  let context: MigrationContext;
  let lookup: LegacyOrderLookup;
  let lookupPools: Pool[] = [];
  const stopWriters = new AbortController();
  const stopRelay = new AbortController();
  const background: Promise<unknown>[] = [];

  async function onServer(work: (admin: Client) => Promise<void>): Promise<void> {
    const admin = new Client({ connectionString: `${server}/postgres` });
    await admin.connect();
    try {
      await work(admin);
    } finally {
      await admin.end();
    }
  }

  beforeAll(async () => {
    await onServer((admin) => admin.query(`CREATE DATABASE "${names.catalog}"`).then(() => undefined));
    const started = Date.now();
    const seeded = await seedLegacyOrders(legacyUrl, {
      orders: ORDERS,
      users: USERS,
      userBase: USER_BASE,
      merchants: MERCHANTS,
      merchantBase: MERCHANT_BASE,
    });
    log.push(`seeded ${ORDERS} legacy orders (${seeded.items} items) in ${Date.now() - started} ms`);
    context = await openMigration({
      legacyUrl,
      catalogUrl,
      shardMap,
      redisUrl: config.REDIS_URL,
      log: (line) => log.push(line),
    });
    // The lookup forward-order serves GET /v1/legacy-orders/:legacyId with, on its own pools.
    lookupPools = [
      new Pool({ connectionString: catalogUrl, max: 2 }),
      new Pool({ connectionString: legacyUrl, max: 2 }),
    ];
    lookup = new LegacyOrderLookup(
      lookupPools[0],
      lookupPools[1],
      new UserOrderRepository(context.sources, context.router),
    );
  });

  /** Deletes every row the migration wrote on the shared shards. */
  async function deleteMigratedRows(): Promise<void> {
    const { rows } = await context.catalog.query<{ order_id: string }>(
      'SELECT order_id::text AS order_id FROM legacy_order_ids',
    );
    const byShard = new Map<number, string[]>();
    for (const { order_id: id } of rows) {
      const shard = router.routeOrder(id).shard;
      byShard.set(shard, [...(byShard.get(shard) ?? []), id]);
    }
    await forEachBounded([...byShard], 4, async ([shard, ids]) => {
      const route = router.routeUserShard(shard);
      const db = context.sources.get(route.database);
      await db.query(`DELETE FROM ${route.schema}.order_items WHERE order_id = ANY($1::bigint[])`, [ids]);
      await db.query(`DELETE FROM ${route.schema}.order_status_history WHERE order_id = ANY($1::bigint[])`, [
        ids,
      ]);
      await db.query(`DELETE FROM ${route.schema}.orders WHERE id = ANY($1::bigint[])`, [ids]);
    });
    const range = [MERCHANT_BASE + 1, MERCHANT_BASE + MERCHANTS];
    const merchantShards = Array.from({ length: router.LOGICAL_SHARDS }, (_, shard) => shard);
    await forEachBounded(merchantShards, 4, async (shard) => {
      const route = router.routeMerchantShard(shard);
      const db = context.sources.get(route.database);
      for (const table of ['merchant_orders', 'merchant_order_changes', 'merchant_feed_heads']) {
        await db.query(`DELETE FROM ${route.schema}.${table} WHERE merchant_id BETWEEN $1 AND $2`, range);
      }
    });
  }

  afterAll(async () => {
    stopWriters.abort();
    stopRelay.abort();
    await Promise.allSettled(background);
    await Promise.all(lookupPools.map((pool) => pool.end()));
    if (context) {
      await deleteMigratedRows();
      await context.close();
    }
    await onServer(async (admin) => {
      for (const name of Object.values(names))
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    });
    console.log(log.join('\n'));
  });

  /** Inserts, updates (status, items) and deletes legacy orders until stopped, like the legacy app. */
  async function legacyWriter(
    signal: AbortSignal,
  ): Promise<{ inserts: number; updates: number; deletes: number }> {
    const client = new Client({ connectionString: legacyUrl });
    await client.connect();
    const counts = { inserts: 0, updates: 0, deletes: 0 };
    const pick = (): number => 1 + Math.floor(Math.random() * ORDERS);
    try {
      while (!signal.aborted) {
        const roll = Math.random();
        if (roll < 0.3) {
          await client.query(
            `WITH o AS (
               INSERT INTO orders (user_id, merchant_id, status, subtotal_cents, packaging_fee_cents, delivery_fee_cents,
                 discount_cents, total_cents, address, city, phone, paid_at)
               VALUES ($1, $2, 'PAID', 2400, 100, 500, 0, 3000, '8 Writer Lane', 'Hangzhou', '13900000000', now())
               RETURNING id)
             INSERT INTO order_items (order_id, item_id, name, unit_price_cents, quantity)
             SELECT o.id, $2 * 100 + 1, 'Dumplings', 1200, 2 FROM o`,
            [
              USER_BASE + 1 + Math.floor(Math.random() * USERS),
              MERCHANT_BASE + 1 + Math.floor(Math.random() * MERCHANTS),
            ],
          );
          counts.inserts += 1;
        } else if (roll < 0.8) {
          await client.query('UPDATE orders SET status = $2, updated_at = now() WHERE id = $1', [
            pick(),
            STATUSES[Math.floor(Math.random() * STATUSES.length)],
          ]);
          counts.updates += 1;
        } else if (roll < 0.95) {
          await client.query(
            'UPDATE order_items SET quantity = 1 + quantity % 3 WHERE id = (SELECT min(id) FROM order_items WHERE order_id = $1)',
            [pick()],
          );
          counts.updates += 1;
        } else {
          await client.query('DELETE FROM orders WHERE id = $1', [pick()]);
          counts.deletes += 1;
        }
      }
    } finally {
      await client.end();
    }
    return counts;
  }

  async function someLegacyOrders(count: number): Promise<{ id: string; user_id: string; status: string }[]> {
    const { rows } = await context.legacy.query<{ id: string; user_id: string; status: string }>(
      'SELECT id::text AS id, user_id::text AS user_id, status FROM orders ORDER BY random() LIMIT $1',
      [count],
    );
    return rows;
  }

  it('migrates 100,000 orders under concurrent legacy writes; verify finds no difference; old ids resolve; rollback restores the legacy path', async () => {
    // dual-write: capture installed before the backfill starts, relay running beside it.
    await dualWritePhase(context, { batch: 2000, once: true });
    const writers = [legacyWriter(stopWriters.signal), legacyWriter(stopWriters.signal)];
    const relay = dualWritePhase(context, { batch: 2000, once: false, pollMs: 50, signal: stopRelay.signal });
    background.push(...writers, relay);

    const backfillStarted = Date.now();
    const checkpoint = await backfillPhase(context, { batch: 10_000, rate: undefined });
    const backfillMs = Date.now() - backfillStarted;
    expect(checkpoint.done).toBe(true);
    expect(checkpoint.rejected).toBe(0);

    stopWriters.abort();
    const written = await Promise.all(writers);
    stopRelay.abort();
    const relayed = await relay;
    const drained = await dualWritePhase(context, { batch: 2000, once: true });
    const writes = written.reduce(
      (sum, w) => ({
        inserts: sum.inserts + w.inserts,
        updates: sum.updates + w.updates,
        deletes: sum.deletes + w.deletes,
      }),
      { inserts: 0, updates: 0, deletes: 0 },
    );
    log.push(
      `backfill of ${checkpoint.copied} orders in ${backfillMs} ms beside ${JSON.stringify(writes)} legacy writes; relay ${relayed.changes} changes live + ${drained.changes} in the final drain`,
    );
    expect(writes.inserts + writes.updates).toBeGreaterThan(0);
    expect(relayed.changes).toBeGreaterThan(0);

    const verifyStarted = Date.now();
    const report = await verifyPhase(context);
    log.push(`verify in ${Date.now() - verifyStarted} ms:\n${formatVerifyReport(report)}`);
    expect(report.differences).toEqual([]);
    expect(report.legacyOrders).toBeGreaterThanOrEqual(ORDERS - writes.deletes);
    expect(report.shardedOrders).toBe(report.legacyOrders);
    expect(report.shardedLines).toBe(report.legacyLines);

    // Before the cut-over: the legacy path.
    const samples = await someLegacyOrders(20);
    for (const sample of samples) {
      const found = await lookup.find(sample.id, sample.user_id);
      expect(found).toMatchObject({ source: 'legacy', legacyId: sample.id });
      expect(found?.orderId).toMatch(/^[1-9][0-9]+$/);
    }
    expect(await lookup.find(samples[0].id, String(USER_BASE + USERS + 1))).toBeNull();

    // cutover reads: the same old ids resolve on the shards, to the same order.
    await cutoverPhase(context, 'reads', 2000);
    for (const sample of samples) {
      const found = await lookup.find(sample.id, sample.user_id);
      expect(found).toMatchObject({ source: 'sharded', legacyId: sample.id });
      expect(found?.order.id).toBe(found?.orderId);
      expect(found?.order.userId).toBe(sample.user_id);
    }
    expect(await lookup.find(samples[0].id, String(USER_BASE + USERS + 1))).toBeNull();

    // rollback before the write switch: the legacy path again, and legacy writes still relay.
    await rollbackPhase(context);
    expect(await lookup.find(samples[1].id, samples[1].user_id)).toMatchObject({ source: 'legacy' });
    await context.legacy.query("UPDATE orders SET status = 'FINISHED', updated_at = now() WHERE id = $1", [
      samples[1].id,
    ]);
    await dualWritePhase(context, { batch: 2000, once: true });

    // cutover reads, then writes: the legacy tables refuse writes, the relay stops, old ids still resolve.
    await cutoverPhase(context, 'reads', 2000);
    await cutoverPhase(context, 'writes', 2000);
    await expect(
      context.legacy.query("UPDATE orders SET status = 'CANCELED' WHERE id = $1", [samples[2].id]),
    ).rejects.toMatchObject({ code: '25006' });
    await expect(rollbackPhase(context)).rejects.toThrow(/writes are cut over/);
    const stopped = await dualWritePhase(context, { batch: 2000, once: false, pollMs: 10 });
    expect(stopped.changes).toBe(0);
    const finished = await lookup.find(samples[1].id, samples[1].user_id);
    expect(finished).toMatchObject({ source: 'sharded', order: { status: 'COMPLETED' } });
    for (const sample of samples) {
      expect(await lookup.find(sample.id, sample.user_id)).toMatchObject({ source: 'sharded' });
    }
  });
});
