import 'reflect-metadata';
import { randomBytes, randomInt } from 'node:crypto';
import { Client } from 'pg';
import { EOS_CONFIG, EosConfig, loadConfig, mintToken } from '@eos/common';
import {
  ShardMapFollower,
  ShardMapStore,
  ShardMover,
  SHARD_MIGRATION_STEPS,
  type MoveReport,
} from '@eos/persistence';
import {
  LOGICAL_SHARDS,
  parseShardMap,
  schemasOn,
  serializeShardMap,
  userSchemaName,
  type ShardMap,
} from '@eos/sharding';
import { RunningApp, checkoutBody, http, newIdempotencyKey, startHttpApp } from '@eos/testing';
import { ForwardOrderModule } from '../src/forward-order.module';

interface Checkout {
  readonly shard: number;
  readonly userId: string;
  readonly startedAt: number;
  readonly ms: number;
  readonly status: number;
  readonly orderId?: string;
}

const MOVED = 7;
/** Another shard on the moved shard's source database: it must not pause while its neighbour moves. */
const NEIGHBOUR = 8;
const BASELINE_MS = 5000;
const AFTER_MS = 1000;
const PACE_MS = 20;
/**
 * The issue's bound: no other shard's checkout waits more than this beyond its usual. "Usual" is the
 * slowest other-shard checkout of a baseline phase as long as the move, measured right before it in
 * the same process: on a shared CI machine single checkouts stall for reasons of their own, and the
 * bound is about what the move adds, so the baseline's own worst is the fair comparison.
 */
const OTHER_SHARDS_EXTRA_MS = 100;

function userOnShard(shard: number): string {
  return String(BigInt(randomInt(1, 2 ** 40)) * BigInt(LOGICAL_SHARDS) + BigInt(shard));
}

function otherShard(): number {
  const shard = randomInt(0, LOGICAL_SHARDS - 1);
  return shard >= MOVED ? shard + 1 : shard;
}

function p99(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
}

function urlOf(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(config: EosConfig, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: urlOf(config.POSTGRES_URL, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// Moves a logical shard from one database to another under a steady checkout load through the real
// forward-order app, on databases of its own (its map has a lineage of its own, so no other test or
// app follows it).
describe('reshard move under checkout load (e2e, real Postgres, Redis and RabbitMQ)', () => {
  const suffix = randomBytes(4).toString('hex');
  const source = `eos_rs_src_${suffix}`;
  const target = `eos_rs_dst_${suffix}`;
  let config: EosConfig;
  let map: ShardMap;
  let running: RunningApp | undefined;
  const previousMap = process.env.EOS_SHARD_MAP;

  beforeAll(async () => {
    config = loadConfig();
    map = parseShardMap(
      JSON.stringify({
        databases: {
          [source]: urlOf(config.POSTGRES_URL, source),
          [target]: urlOf(config.POSTGRES_URL, target),
        },
        user: { [`0-${LOGICAL_SHARDS - 1}`]: source },
        merchant: { [`0-${LOGICAL_SHARDS - 1}`]: source },
      }),
    );
    // The two fresh databases only (the shared ones are provisioned by the global setup), with the
    // shard migration steps for the two shards the source holds.
    await admin(config, async (client) => {
      for (const database of [source, target]) await client.query(`CREATE DATABASE "${database}"`);
    });
    const onSourceDb = new Client({ connectionString: map.databases[source] });
    await onSourceDb.connect();
    try {
      const schemas = schemasOn(map, source);
      for (const step of SHARD_MIGRATION_STEPS) {
        for (const schema of schemas.user) if (step.user) await onSourceDb.query(step.user.up(schema));
        for (const schema of schemas.merchant)
          if (step.merchant) await onSourceDb.query(step.merchant.up(schema));
      }
    } finally {
      await onSourceDb.end();
    }
    process.env.EOS_SHARD_MAP = serializeShardMap(map);
    running = await startHttpApp(ForwardOrderModule, 'forward-order');
  });

  afterAll(async () => {
    await running?.close();
    if (previousMap === undefined) delete process.env.EOS_SHARD_MAP;
    else process.env.EOS_SHARD_MAP = previousMap;
    const lineage = new ShardMapStore(map).lineage;
    const catalog = new Client({ connectionString: config.CATALOG_DATABASE_URL });
    await catalog.connect();
    await catalog.query('DELETE FROM eos_shard_map WHERE lineage = $1', [lineage]).catch(() => undefined);
    await catalog.end();
    await admin(config, async (client) => {
      for (const database of [source, target])
        await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    });
  });

  it('moves a shard while checkouts go on: others unaffected, none lost or doubled, verify clean', async () => {
    const app = running as RunningApp;
    const jwt = app.app.get<EosConfig>(EOS_CONFIG).JWT_SECRET;
    const results: Checkout[] = [];
    let stop = false;
    const checkoutOn = async (shard: number): Promise<void> => {
      const userId = userOnShard(shard);
      const startedAt = Date.now();
      // Half the moved shard's orders go to merchants of the same logical shard: the projector writes
      // into the moved merchant schema (m007) too.
      const merchant =
        shard === MOVED && randomInt(0, 2) === 0 ? MOVED + LOGICAL_SHARDS * randomInt(0, 8) : undefined;
      const response = await http<{ id: string }>('POST', `${app.url}/v1/orders`, {
        token: mintToken(jwt, 'customer', userId),
        body: checkoutBody(merchant),
        headers: { 'idempotency-key': newIdempotencyKey() },
      }).catch(() => ({ status: 0, body: { id: '' } }));
      results.push({
        shard,
        userId,
        startedAt,
        ms: Date.now() - startedAt,
        status: response.status,
        orderId: response.status === 201 ? response.body.id : undefined,
      });
    };
    // Paced, so the measured latency is the app's and the databases', not a saturated event loop's
    // (the app, the load and the mover share this process).
    const worker = async (pick: () => number): Promise<void> => {
      while (!stop) {
        await checkoutOn(pick());
        await new Promise((done) => setTimeout(done, PACE_MS));
      }
    };
    // Warm-up: pools, prepared statements and caches, outside every measurement.
    for (let i = 0; i < 20; i += 1) await checkoutOn(i % 2 === 0 ? MOVED : otherShard());
    results.length = 0;

    const workers = [
      ...Array.from({ length: 3 }, () => worker(otherShard)),
      worker(() => NEIGHBOUR),
      ...Array.from({ length: 2 }, () => worker(() => MOVED)),
    ];
    const loadStartedAt = Date.now();
    const lines: string[] = [];
    let moveStartedAt = 0;
    let moveEndedAt = 0;
    let report: MoveReport;
    const mover = new ShardMover({
      catalogUrl: config.CATALOG_DATABASE_URL,
      store: new ShardMapStore(map),
      log: (line) => lines.push(`${Date.now() - moveStartedAt} ms: ${line}`),
    });
    try {
      await new Promise((done) => setTimeout(done, BASELINE_MS));
      moveStartedAt = Date.now();
      report = await mover.move(MOVED, target);
      moveEndedAt = Date.now();
      await new Promise((done) => setTimeout(done, AFTER_MS));
    } finally {
      stop = true;
      await Promise.all(workers);
      await mover.close();
    }

    const baseline = results.filter((r) => r.startedAt >= loadStartedAt && r.startedAt < moveStartedAt);
    const during = results.filter((r) => r.startedAt >= moveStartedAt && r.startedAt < moveEndedAt);
    const others = (rows: readonly Checkout[]): Checkout[] => rows.filter((r) => r.shard !== MOVED);
    const moved = results.filter((r) => r.shard === MOVED);
    const usual = Math.max(...others(baseline).map((r) => r.ms));
    const usualP99 = p99(others(baseline).map((r) => r.ms));
    const worstOther = Math.max(...others(during).map((r) => r.ms));
    const worstNeighbour = Math.max(...during.filter((r) => r.shard === NEIGHBOUR).map((r) => r.ms));
    const worstMoved = Math.max(...moved.filter((r) => r.startedAt < moveEndedAt).map((r) => r.ms));
    console.log(
      `reshard e2e: move took ${moveEndedAt - moveStartedAt} ms, fence held ${report.fenceMs} ms; ` +
        `other shards: baseline p99 ${usualP99} ms, worst ${usual} ms over ${others(baseline).length} checkouts, ` +
        `worst during the move ${worstOther} ms over ${others(during).length} ` +
        `(shard ${NEIGHBOUR}, beside the moved one: ${worstNeighbour} ms); ` +
        `moved shard: worst ${worstMoved} ms, ${moved.length} checkouts\n  ${lines.join('\n  ')}\n` +
        `  slowest other-shard checkouts during the move (start after move start, ms, shard): ${others(during)
          .sort((a, b) => b.ms - a.ms)
          .slice(0, 5)
          .map((r) => `${r.startedAt - moveStartedAt}:${r.ms}:${r.shard}`)
          .join(' ')}`,
    );

    // Other shards: none failed, none waited more than 100 ms beyond the usual.
    expect(others(results).filter((r) => r.status !== 201)).toEqual([]);
    expect(others(during).length).toBeGreaterThan(0);
    expect(worstOther).toBeLessThanOrEqual(usual + OTHER_SHARDS_EXTRA_MS);

    // The moved shard: every checkout answered 201 (paused during the fence, never refused).
    expect(moved.filter((r) => r.status !== 201)).toEqual([]);
    // The map switched to the target: in the app too.
    const follower = app.app.get(ShardMapFollower);
    expect(follower.version).toBe(report.version);

    // Verify inside the fence found no difference.
    const differences = report.schemas.flatMap((schema) =>
      schema.comparisons.filter((table) => !table.equal),
    );
    expect(differences).toEqual([]);
    expect(report.schemas.map((schema) => schema.schema)).toEqual([userSchemaName(MOVED), 'm007']);

    // None lost or doubled: each moved-shard customer placed one order, and reads it back (from the
    // target, which now holds all of them).
    for (const r of moved) {
      const token = mintToken(jwt, 'customer', r.userId);
      const one = await http<{ id: string }>('GET', `${app.url}/v1/orders/${r.orderId}`, { token });
      expect(one.status).toBe(200);
      const list = await http<{ items: { id: string }[] }>('GET', `${app.url}/v1/orders`, { token });
      expect(list.body.items.map((item) => item.id)).toEqual([r.orderId]);
    }
    const onTarget = new Client({ connectionString: urlOf(config.POSTGRES_URL, target) });
    await onTarget.connect();
    try {
      const { rows } = await onTarget.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM ${userSchemaName(MOVED)}.orders WHERE id = ANY($1::bigint[])`,
        [moved.map((r) => r.orderId)],
      );
      expect(Number(rows[0].n)).toBe(moved.length);
    } finally {
      await onTarget.end();
    }
  });
});
