import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { loadConfig } from '@eos/common';
import { SHARD_MIGRATION_STEPS } from '../migrations/shard-schema.migration';
import { CHANGE_FEED_DDL, captureTrigger } from './reshard.sql';
import { ShardCopier, tablesOf } from './shard-copier';
import { compareSchema } from './shard-verifier';
import type { ShardTable } from './table-order';

const SCHEMA = 'u005';

function urlOf(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

const insertOrders = `
INSERT INTO ${SCHEMA}.orders (id, user_id, merchant_id, kind, status, subtotal_cents, packaging_fee_cents,
  delivery_fee_cents, discount_cents, total_cents, currency, address, version, created_at, updated_at)
SELECT $1::bigint + g, 5, 1, 'DELIVERY', 'CREATED', 100, 0, 0, 0, 100, 'CNY', '{}', 1, now(), now()
FROM generate_series(1, $2::int) g`;
const insertItems = `
INSERT INTO ${SCHEMA}.order_items (order_id, line_no, item_id, name, unit_price_cents, quantity, line_total_cents)
SELECT $1::bigint + g, 1, 9, 'tea', 100, 1, 100 FROM generate_series(1, $2::int) g`;

// The copy and catch-up of one shard schema while another connection keeps inserting, updating and
// deleting rows (parents with children): after the drain both sides are equal, row for row.
describe('ShardCopier (real Postgres)', () => {
  const config = loadConfig();
  const suffix = randomBytes(4).toString('hex');
  const names = [`eos_copy_src_${suffix}`, `eos_copy_dst_${suffix}`];
  let source: Pool;
  let target: Pool;
  let tables: ShardTable[];

  const admin = async (statement: string): Promise<void> => {
    const client = new Client({ connectionString: urlOf(config.POSTGRES_URL, 'postgres') });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    for (const name of names) await admin(`CREATE DATABASE "${name}"`);
    [source, target] = names.map(
      (name) =>
        new Pool({ connectionString: urlOf(config.POSTGRES_URL, name), max: 4, options: '-c TimeZone=UTC' }),
    );
    for (const pool of [source, target]) {
      for (const step of SHARD_MIGRATION_STEPS) if (step.user) await pool.query(step.user.up(SCHEMA));
    }
    tables = await tablesOf(source, SCHEMA);
  });

  afterAll(async () => {
    await source?.end();
    await target?.end();
    for (const name of names) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it('converges on inserts, updates and deletes made during the copy', async () => {
    await source.query(insertOrders, [0, 3000]);
    await source.query(insertItems, [0, 3000]);
    await source.query(CHANGE_FEED_DDL);
    for (const table of tables) await source.query(captureTrigger(SCHEMA, table));
    for (const table of tables)
      await target.query(`ALTER TABLE ${SCHEMA}.${table.name} DISABLE TRIGGER USER`);

    let stop = false;
    let rounds = 0;
    const writer = (async () => {
      while (!stop) {
        rounds += 1;
        const base = 10_000 + rounds * 10;
        const client = await source.connect();
        try {
          await client.query('BEGIN');
          await client.query(insertOrders, [base, 5]);
          await client.query(insertItems, [base, 5]);
          await client.query(
            `UPDATE ${SCHEMA}.orders SET status = 'PAID', version = version + 1 WHERE id = $1`,
            [(rounds * 7) % 3000],
          );
          const gone = (rounds * 13) % 3000;
          await client.query(`DELETE FROM ${SCHEMA}.order_items WHERE order_id = $1`, [gone]);
          await client.query(`DELETE FROM ${SCHEMA}.orders WHERE id = $1`, [gone]);
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      }
    })();

    const copier = new ShardCopier(source, target, SCHEMA, tables);
    const copied = await copier.bulkCopy();
    await copier.catchUp(10);
    stop = true;
    await writer;
    await copier.drain();
    await copier.alignSequences();

    expect(copied).toBeGreaterThanOrEqual(6000);
    expect(rounds).toBeGreaterThan(3);
    const comparisons = await compareSchema(source, target, SCHEMA, tables);
    expect(comparisons.filter((table) => !table.equal)).toEqual([]);
    const orders = comparisons.find((table) => table.table === 'orders');
    expect(orders?.targetRows).toBe(orders?.sourceRows);
    // The outbox sequence on the target is at least where the source's is.
    const [src, dst] = await Promise.all(
      [source, target].map(
        async (db) =>
          (await db.query<{ v: string }>(`SELECT last_value::text AS v FROM ${SCHEMA}.outbox_id_seq`)).rows[0]
            .v,
      ),
    );
    expect(BigInt(dst)).toBeGreaterThanOrEqual(BigInt(src));
  });

  it('lists the keys that differ', async () => {
    await target.query(`UPDATE ${SCHEMA}.orders SET note = 'drift' WHERE id = 1`);
    await target.query(`DELETE FROM ${SCHEMA}.order_items WHERE order_id = 2`);
    const comparisons = await compareSchema(source, target, SCHEMA, tables);
    const differing = Object.fromEntries(
      comparisons.filter((table) => !table.equal).map((table) => [table.table, table.differences]),
    );
    expect(differing).toEqual({
      orders: ['{"id": 1} differs'],
      order_items: ['{"line_no": 1, "order_id": 2} missing on target'],
    });
  });
});
