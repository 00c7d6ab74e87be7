import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '@eos/common';
import { defaultShardMap, parseShardMap, schemasOn, type ShardMap } from '@eos/sharding';
import { SHARD_MIGRATION_STEPS } from '../migrations/shard-schema.migration';
import { ShardMapStore } from '../shards/shard-map.store';
import { SHARD_MOVED_SQLSTATE } from '../shards/shard-moved';
import { ShardMover } from './shard-mover';

const SHARD = 7;

function urlOf(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const insertOrder = (schema: string, id: number): string => `
INSERT INTO ${schema}.orders (id, user_id, merchant_id, kind, status, subtotal_cents, packaging_fee_cents,
  delivery_fee_cents, discount_cents, total_cents, currency, address, version, created_at, updated_at)
VALUES (${id}, 7, 7, 'DELIVERY', 'CREATED', 100, 0, 0, 0, 100, 'CNY', '{}', 1, now(), now())`;

// The mover end to end without apps: declare a database with --url, move, refuse a second move,
// fence the old copy, verify, move back (the rollback path) and fence the other side.
describe('ShardMover (real Postgres)', () => {
  const config = loadConfig();
  const suffix = randomBytes(4).toString('hex');
  const source = `eos_mv_src_${suffix}`;
  const target = `eos_mv_dst_${suffix}`;
  const admin = urlOf(config.POSTGRES_URL, 'postgres');
  let map: ShardMap;
  let store: ShardMapStore;
  const lines: string[] = [];
  const mover = (): ShardMover =>
    new ShardMover({ catalogUrl: config.CATALOG_DATABASE_URL, store, log: (line) => lines.push(line) });

  beforeAll(async () => {
    const shared = defaultShardMap(config.POSTGRES_URL);
    const onSource = (shards: readonly string[]): Record<string, string> =>
      Object.fromEntries(
        shards.map((database, shard) => [String(shard), shard === SHARD ? source : database]),
      );
    map = parseShardMap(
      JSON.stringify({
        databases: { ...shared.databases, [source]: urlOf(config.POSTGRES_URL, source) },
        user: onSource(shared.user),
        merchant: onSource(shared.merchant),
      }),
    );
    store = new ShardMapStore(map);
    await withClient(admin, (client) => client.query(`CREATE DATABASE "${source}"`));
    await withClient(map.databases[source], async (client) => {
      const schemas = schemasOn(map, source);
      for (const step of SHARD_MIGRATION_STEPS) {
        for (const schema of schemas.user) if (step.user) await client.query(step.user.up(schema));
        for (const schema of schemas.merchant)
          if (step.merchant) await client.query(step.merchant.up(schema));
      }
      for (let id = 1; id <= 50; id += 1) await client.query(insertOrder('u007', id));
    });
  });

  afterAll(async () => {
    await withClient(config.CATALOG_DATABASE_URL, (client) =>
      client.query('DELETE FROM eos_shard_map WHERE lineage = $1', [store.lineage]),
    ).catch(() => undefined);
    await withClient(admin, async (client) => {
      for (const database of [source, target])
        await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    });
  });

  it('moves a shard, fences the old copy, refuses a repeat, and moves it back', async () => {
    const tool = mover();
    try {
      await expect(tool.move(SHARD, target)).rejects.toThrow(/unknown database/);
      await tool.declare(target, urlOf(config.POSTGRES_URL, target));
      const first = await tool.move(SHARD, target);
      expect(first.version).toBe(3); // seeded 1, declared 2, moved 3
      expect(first.schemas.flatMap((schema) => schema.comparisons.filter((table) => !table.equal))).toEqual(
        [],
      );
      const orders = first.schemas[0].comparisons.find((table) => table.table === 'orders');
      expect(orders).toMatchObject({ sourceRows: 50, targetRows: 50 });
      const { map: live } = await tool.currentMap();
      expect([live.user[SHARD], live.merchant[SHARD]]).toEqual([target, target]);

      // The old copy refuses writes with the fence's SQLSTATE, naming the schema; reads go on.
      const refused = await withClient(map.databases[source], async (client) => {
        expect((await client.query('SELECT count(*)::int AS n FROM u007.orders')).rows[0].n).toBe(50);
        return client
          .query(insertOrder('u007', 51))
          .catch((error: { code?: string; detail?: string }) => error);
      });
      expect(refused).toMatchObject({ code: SHARD_MOVED_SQLSTATE, detail: 'u007' });
      expect((await tool.fences(live)).map((fence) => [fence.database, fence.schema])).toEqual([
        [source, 'm007'],
        [source, 'u007'],
      ]);
      expect(
        (await tool.verify(SHARD)).flatMap((report) => report.comparisons.filter((t) => !t.equal)),
      ).toEqual([]);
      await expect(tool.move(SHARD, target)).rejects.toThrow(/already on/);

      // Written on the new home, then moved back: the stale old copy is rebuilt, not trusted.
      await withClient(urlOf(config.POSTGRES_URL, target), (client) => client.query(insertOrder('u007', 52)));
      const back = await tool.move(SHARD, source);
      expect(back.schemas.flatMap((schema) => schema.comparisons.filter((table) => !table.equal))).toEqual(
        [],
      );
      await withClient(map.databases[source], async (client) => {
        await client.query(insertOrder('u007', 53)); // the fence is gone on the home again
        expect((await client.query('SELECT count(*)::int AS n FROM u007.orders')).rows[0].n).toBe(52);
      });
      const { map: after } = await tool.currentMap();
      expect((await tool.fences(after)).map((fence) => [fence.database, fence.schema])).toEqual([
        [target, 'm007'],
        [target, 'u007'],
      ]);
    } finally {
      await tool.close();
    }
  });
});
