import 'reflect-metadata';
import { testShards } from '@eos/testing';
import { LOGICAL_SHARDS } from '@eos/sharding';
import type { PoolClient } from 'pg';
import { pgPoolOf } from '../shards/pg-pool';
import { warmCheckoutStatements } from './checkout-warm-up';

const POOL_SIZE = 3;

describe('checkout statement warm-up (real Postgres)', () => {
  const { sources, router } = testShards('checkout-warm-up', POOL_SIZE);

  beforeAll(() => sources.initialize());
  afterAll(() => sources.destroy());

  function userSchemasOn(database: string): string[] {
    return Array.from({ length: LOGICAL_SHARDS }, (_, shard) => router.routeUserShard(shard))
      .filter((route) => route.database === database)
      .map((route) => route.schema);
  }

  it('prepares the checkout of every user schema on every pooled connection and writes nothing', async () => {
    const report = await warmCheckoutStatements(sources, router, POOL_SIZE);
    expect(report).toEqual({
      connections: POOL_SIZE * router.databases().length,
      statements: POOL_SIZE * LOGICAL_SHARDS,
    });

    for (const database of router.databases()) {
      const pool = pgPoolOf(sources.get(database));
      if (!pool) throw new Error(`no pool for ${database}`);
      // The pool holds exactly the warmed connections: taking them all at once sees each one.
      const clients: PoolClient[] = await Promise.all(
        Array.from({ length: POOL_SIZE }, () => pool.connect()),
      );
      try {
        const expected = userSchemasOn(database)
          .map((schema) => `eos_checkout_${schema}`)
          .sort();
        for (const client of clients) {
          const { rows } = await client.query<{ name: string }>(
            "SELECT name FROM pg_prepared_statements WHERE name LIKE 'eos_checkout_%' ORDER BY name",
          );
          expect(rows.map((row) => row.name)).toEqual(expected);
        }
        // Rolled back: no warm-up order, key, line, history entry or outbox row anywhere.
        const [client] = clients;
        for (const schema of userSchemasOn(database)) {
          const { rows } = await client.query<{ rows: number }>(
            `SELECT (SELECT count(*) FROM ${schema}.orders WHERE id < 0)
                  + (SELECT count(*) FROM ${schema}.idempotency_keys WHERE key LIKE 'warm-up-%')
                  + (SELECT count(*) FROM ${schema}.order_status_history WHERE order_id < 0)
                  + (SELECT count(*) FROM ${schema}.outbox WHERE order_id < 0) AS rows`,
          );
          expect(Number(rows[0].rows)).toBe(0);
        }
      } finally {
        for (const client of clients) client.release();
      }
    }
  });

  it('runs again on connections already warm (a restarted pool, a second call)', async () => {
    await expect(warmCheckoutStatements(sources, router, POOL_SIZE)).resolves.toEqual({
      connections: POOL_SIZE * router.databases().length,
      statements: POOL_SIZE * LOGICAL_SHARDS,
    });
  });
});
