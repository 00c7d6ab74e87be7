import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@eos/common';
import { ShardRouter, encodeOrderId } from '@eos/sharding';
import { shardMapFrom } from './shard-persistence.module';
import { ShardDataSources } from './shard-data-sources';

function randomInt64(): bigint {
  // Uniform over 1 .. 2^63-1, so ids far beyond 2^53 are exercised too.
  const value = randomBytes(8).readBigUInt64BE() & ((1n << 63n) - 1n);
  return value === 0n ? 1n : value;
}

describe('shard routing against the provisioned databases', () => {
  const config = loadConfig();
  const map = shardMapFrom(config);
  const router = new ShardRouter(map);
  const sources = new ShardDataSources(map, {
    poolSize: 2,
    statementTimeoutMs: 5000,
    connectTimeoutMs: 2000,
    applicationName: 'eos-test',
  });
  const schemasByDatabase = new Map<string, Set<string>>();

  beforeAll(async () => {
    await sources.initialize();
    for (const [database, source] of sources.entries()) {
      const rows: { nspname: string }[] = await source.query(
        "SELECT nspname FROM pg_namespace WHERE nspname ~ '^[um][0-9]{3}$'",
      );
      schemasByDatabase.set(database, new Set(rows.map((row) => row.nspname)));
    }
  });

  afterAll(async () => {
    await sources.destroy();
  });

  it('opens sessions with the pool settings: timeouts, application name, generic plans', async () => {
    for (const [database, source] of sources.entries()) {
      const [settings]: Record<string, string>[] = await source.query(
        `SELECT current_setting('plan_cache_mode') AS plan_cache_mode,
                current_setting('statement_timeout') AS statement_timeout,
                current_setting('application_name') AS application_name`,
      );
      expect(settings).toEqual({
        plan_cache_mode: 'force_generic_plan',
        statement_timeout: '5s',
        application_name: `eos-test:${database}`,
      });
    }
  });

  it('holds every logical shard of both dimensions exactly once across the databases', () => {
    const all = [...schemasByDatabase.values()].flatMap((set) => [...set]);
    expect(all).toHaveLength(240);
    expect(new Set(all).size).toBe(240);
  });

  it('routes 10,000 random users and 10,000 random merchants to a schema that exists only in the mapped database', () => {
    for (let n = 0; n < 10_000; n += 1) {
      const userId = randomInt64();
      const user = router.routeUser(userId);
      expect(user.shard).toBe(Number(userId % 120n));
      expect(user.schema).toBe(`u${String(user.shard).padStart(3, '0')}`);
      const merchantId = randomInt64();
      const merchant = router.routeMerchant(merchantId);
      expect(merchant.shard).toBe(Number(merchantId % 120n));
      expect(merchant.schema).toBe(`m${String(merchant.shard).padStart(3, '0')}`);
      for (const [database, schemas] of schemasByDatabase) {
        expect(schemas.has(user.schema)).toBe(database === user.database);
        expect(schemas.has(merchant.schema)).toBe(database === merchant.database);
      }
      // An order id carries the user shard: routing by it needs no lookup and lands on the same schema.
      const orderId = encodeOrderId({
        timestampMs: Date.now(),
        shard: user.shard,
        worker: n % 64,
        sequence: n % 512,
      });
      expect(router.routeOrder(orderId)).toEqual(user);
    }
  });

  it('reaches each routed schema’s tables through the data source of its database', async () => {
    for (let shard = 0; shard < 120; shard += 1) {
      const user = router.routeUserShard(shard);
      const merchant = router.routeMerchantShard(shard);
      const rows: { n: number }[] = await sources
        .get(user.database)
        .query(`SELECT count(*)::int AS n FROM ${user.schema}.idempotency_keys WHERE false`);
      expect(rows[0].n).toBe(0);
      await sources.get(merchant.database).query(`SELECT 1 FROM ${merchant.schema}.merchant_orders LIMIT 0`);
    }
  });
});
