import 'reflect-metadata';
import { randomInt } from 'node:crypto';
import { EOS_CONFIG, EosConfig, loadConfig, mintToken } from '@eos/common';
import { LegacyOrderLookup, UserOrderRepository } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import { RunningApp, http, newUserId, startHttpApp } from '@eos/testing';
import { Client, Pool } from 'pg';
import { ForwardOrderModule } from '../apps/forward-order/src/forward-order.module';
import { backfillPhase } from '../tools/migrate-legacy/src/backfill.phase';
import { cutoverPhase, rollbackPhase } from '../tools/migrate-legacy/src/cutover.phase';
import { dualWritePhase } from '../tools/migrate-legacy/src/dual-write.phase';
import { ensureLegacySchema } from '../tools/migrate-legacy/src/legacy-seed';
import { openMigration, type MigrationContext } from '../tools/migrate-legacy/src/migration.context';

interface LegacyOrderBody {
  id: string | null;
  legacyId: string;
  userId: string;
  status: string;
  items: { name: string; quantity: number; lineTotalCents: number }[];
  totalCents: number;
  code?: string;
}

/**
 * forward-order's old-id endpoint as an old client sees it: answered from the legacy tables in
 * eos's v1 shape, then, after `migrate-legacy cutover reads`, from the shards through the id
 * mapping, and from the legacy tables again after a rollback, without restarting the app. Its own
 * legacy and catalog databases (forward-order boots on an empty catalog; only menus and checkout
 * read it), dropped after; the one migrated order is deleted from the shared shards.
 */
describe('GET /v1/legacy-orders/:legacyId (e2e, real Postgres and Redis)', () => {
  const previous = { legacy: process.env.LEGACY_DATABASE_URL, catalog: process.env.CATALOG_DATABASE_URL };
  const merchantId = String(randomInt(9_200_000_000, 9_300_000_000));
  let migration: MigrationContext;
  let catalogName: string;
  let running: RunningApp;
  let config: EosConfig;
  let legacyUrl: string;
  let databaseName: string;
  const userId = newUserId();
  const legacyId = String(randomInt(1_000_000, 2 ** 40));

  async function onServer(url: string, sql: string): Promise<void> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    const server = loadConfig().POSTGRES_URL.replace(/\/$/, '');
    databaseName = `eos_legacy_e2e_${process.pid}`;
    catalogName = `eos_legacy_e2e_catalog_${process.pid}`;
    legacyUrl = `${server}/${databaseName}`;
    await onServer(`${server}/postgres`, `CREATE DATABASE "${catalogName}"`);
    await ensureLegacySchema(legacyUrl);
    const client = new Client({ connectionString: legacyUrl });
    await client.connect();
    try {
      await client.query(
        `WITH o AS (
           INSERT INTO orders (id, user_id, merchant_id, status, subtotal_cents, packaging_fee_cents, delivery_fee_cents,
             discount_cents, total_cents, address, city, phone, paid_at, created_at, updated_at)
           VALUES ($1, $2, $3, 'SHIPPING', 3000, 100, 500, 200, 3400, '1 Old Street', 'Shanghai', '13800000000',
             '2021-03-01T10:01:00Z', '2021-03-01T10:00:00Z', '2021-03-01T10:30:00Z')
           RETURNING id)
         INSERT INTO order_items (order_id, item_id, name, unit_price_cents, quantity)
         SELECT o.id, v.item_id, v.name, v.price, v.quantity FROM o,
           (VALUES (701, 'Beef noodles', 1800, 1), (702, 'Milk tea', 600, 2)) AS v(item_id, name, price, quantity)`,
        [legacyId, userId, merchantId],
      );
    } finally {
      await client.end();
    }
    process.env.LEGACY_DATABASE_URL = legacyUrl;
    process.env.CATALOG_DATABASE_URL = `${server}/${catalogName}`;
    running = await startHttpApp(ForwardOrderModule, 'forward-order');
    config = running.app.get<EosConfig>(EOS_CONFIG);
    migration = await openMigration({
      legacyUrl,
      catalogUrl: config.CATALOG_DATABASE_URL,
      shardMap: running.app.get(ShardRouter).map,
      redisUrl: config.REDIS_URL,
      log: () => undefined,
    });
  });

  afterAll(async () => {
    if (migration) {
      const { rows } = await migration.catalog.query<{ order_id: string }>(
        'SELECT order_id::text AS order_id FROM legacy_order_ids',
      );
      for (const { order_id: orderId } of rows) {
        const route = migration.router.routeOrder(orderId);
        const db = migration.sources.get(route.database);
        for (const table of ['order_items', 'order_status_history']) {
          await db.query(`DELETE FROM ${route.schema}.${table} WHERE order_id = $1`, [orderId]);
        }
        await db.query(`DELETE FROM ${route.schema}.orders WHERE id = $1`, [orderId]);
      }
      const merchant = migration.router.routeMerchant(merchantId);
      for (const table of ['merchant_orders', 'merchant_order_changes', 'merchant_feed_heads']) {
        await migration.sources
          .get(merchant.database)
          .query(`DELETE FROM ${merchant.schema}.${table} WHERE merchant_id = $1`, [merchantId]);
      }
      await migration.close();
    }
    await running?.close();
    for (const [name, value] of [
      ['LEGACY_DATABASE_URL', previous.legacy],
      ['CATALOG_DATABASE_URL', previous.catalog],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    const admin = new URL(legacyUrl);
    admin.pathname = '/postgres';
    for (const name of [databaseName, catalogName]) {
      await onServer(admin.toString(), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  });

  it("serves the customer's legacy order in the v1 shape, its status mapped, from the legacy store", async () => {
    const token = mintToken(config.JWT_SECRET, 'customer', userId);
    const { status, body, headers } = await http<LegacyOrderBody>(
      'GET',
      `${running.url}/v1/legacy-orders/${legacyId}`,
      {
        token,
      },
    );
    expect(status).toBe(200);
    expect(headers.get('eos-order-source')).toBe('legacy');
    expect(body).toMatchObject({ legacyId, userId, status: 'DELIVERING', totalCents: 3400 });
    expect(body.items).toEqual([
      expect.objectContaining({ name: 'Beef noodles', quantity: 1, lineTotalCents: 1800 }),
      expect.objectContaining({ name: 'Milk tea', quantity: 2, lineTotalCents: 1200 }),
    ]);
  });

  it("answers 404 for another customer's legacy order or an unknown one, 400 for a malformed id, 401 without a token", async () => {
    const other = mintToken(config.JWT_SECRET, 'customer', newUserId());
    const owner = mintToken(config.JWT_SECRET, 'customer', userId);
    const url = `${running.url}/v1/legacy-orders`;
    expect(await http<LegacyOrderBody>('GET', `${url}/${legacyId}`, { token: other })).toMatchObject({
      status: 404,
      body: { code: 'ORDER_NOT_FOUND' },
    });
    expect((await http('GET', `${url}/${Number(legacyId) + 1}`, { token: owner })).status).toBe(404);
    expect(await http<LegacyOrderBody>('GET', `${url}/12abc`, { token: owner })).toMatchObject({
      status: 400,
      body: { code: 'INVALID_ID' },
    });
    expect((await http('GET', `${url}/${legacyId}`)).status).toBe(401);
  });

  it('fails with DEPENDENCY_UNAVAILABLE (503), not an unexpected error, when the legacy database is missing', async () => {
    const token = mintToken(config.JWT_SECRET, 'customer', userId);
    const lookup = running.app.get(LegacyOrderLookup);
    const missing = new Pool({ connectionString: `${legacyUrl}_missing`, max: 1 });
    try {
      const broken = new LegacyOrderLookup(missing, missing, running.app.get(UserOrderRepository));
      await expect(broken.find(legacyId, userId)).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    } finally {
      await missing.end();
    }
    expect((await lookup.find(legacyId, userId))?.source).toBe('legacy');
    expect((await http('GET', `${running.url}/v1/legacy-orders/${legacyId}`, { token })).status).toBe(200);
  });

  it('after cutover reads, serves the old id from the shards through the mapping; a rollback restores the legacy path', async () => {
    const token = mintToken(config.JWT_SECRET, 'customer', userId);
    const url = `${running.url}/v1/legacy-orders/${legacyId}`;
    await dualWritePhase(migration, { batch: 100, once: true });
    await backfillPhase(migration, { batch: 100, rate: undefined });
    const mapped = await http<LegacyOrderBody>('GET', url, { token });
    expect(mapped.headers.get('eos-order-source')).toBe('legacy');
    expect(mapped.body.id).toMatch(/^[1-9][0-9]+$/);

    await cutoverPhase(migration, 'reads', 100);
    const sharded = await http<LegacyOrderBody>('GET', url, { token });
    expect(sharded.status).toBe(200);
    expect(sharded.headers.get('eos-order-source')).toBe('sharded');
    expect(sharded.body).toMatchObject({
      id: mapped.body.id,
      legacyId,
      status: 'DELIVERING',
      totalCents: 3400,
    });
    // The eos id is a real order id of the customer's: the v1 order endpoint serves it too.
    expect(await http('GET', `${running.url}/v1/orders/${mapped.body.id}`, { token })).toMatchObject({
      status: 200,
      body: { id: mapped.body.id, status: 'DELIVERING' },
    });

    await rollbackPhase(migration);
    const back = await http<LegacyOrderBody>('GET', url, { token });
    expect(back.headers.get('eos-order-source')).toBe('legacy');
    expect(back.body).toMatchObject({ id: mapped.body.id, status: 'DELIVERING' });
  });
});
