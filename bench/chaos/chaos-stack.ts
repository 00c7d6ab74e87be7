import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { EosConfig } from '@eos/common';
import { provision } from '@eos/persistence';
import { parseShardMap, type ShardMap, type ShardMapJson } from '@eos/sharding';
import { freePort } from '../load/app.process';
import { FaultProxy } from './fault-proxy';
import { PrivatePostgres } from './private-postgres';
import { PrivateRabbitMq } from './private-rabbitmq';
import { PrivateRedis } from './private-redis';
import type { Teardown } from './teardown';

/** The shard database on the machine's shared server; created and dropped by the suite. */
export const SHARED_DATABASE = 'eos_chaos_0';
/** The shard database on the suite's own cluster: the one whose server the suite stops. */
export const PRIVATE_DATABASE = 'eos_chaos_1';

// Held for the whole run: two chaos runs on one machine would share SHARED_DATABASE.
const CHAOS_LOCK_KEY = 727_042;

export interface ChaosProxies {
  readonly pgShared: FaultProxy;
  readonly pgPrivate: FaultProxy;
  readonly redis: FaultProxy;
  readonly rabbitmq: FaultProxy;
}

/**
 * Everything the apps under test talk to, each behind a fault proxy: half the shards on a database
 * of the shared Postgres server, half on a private cluster, a private Redis and a private RabbitMQ
 * node. The shared server is only ever reached through its proxy by the apps; nothing of the
 * machine's shared services is stopped or reconfigured.
 */
export class ChaosStack {
  private constructor(
    readonly proxies: ChaosProxies,
    readonly postgres: PrivatePostgres,
    readonly redis: PrivateRedis,
    readonly rabbitmq: PrivateRabbitMq,
    /** The map the apps use: every database through its proxy. */
    readonly appShardMap: ShardMapJson,
    /** The same map with direct URLs, for the suite's own checks. */
    readonly directShardMap: ShardMap,
    private readonly config: EosConfig,
  ) {}

  static async start(
    config: EosConfig,
    teardown: Teardown,
    log: (line: string) => void,
  ): Promise<ChaosStack> {
    const shared = new URL(config.POSTGRES_URL);
    const sharedUrl = (database: string): string => {
      const url = new URL(config.POSTGRES_URL);
      url.pathname = `/${database}`;
      return url.toString();
    };

    const lock = new Client({ connectionString: sharedUrl('postgres'), connectionTimeoutMillis: 5000 });
    await lock.connect();
    teardown.add('chaos lock', () => lock.end());
    const [{ locked }] = (await lock.query('SELECT pg_try_advisory_lock($1) AS locked', [CHAOS_LOCK_KEY]))
      .rows as { locked: boolean }[];
    if (!locked) throw new Error('another chaos run holds this machine (advisory lock on the shared server)');
    await lock.query(`DROP DATABASE IF EXISTS ${SHARED_DATABASE} WITH (FORCE)`);
    teardown.add('shared chaos database', async () => {
      await lock.query(`DROP DATABASE IF EXISTS ${SHARED_DATABASE} WITH (FORCE)`);
    });

    const pgDir = mkdtempSync(join(tmpdir(), 'eos-chaos-pg-'));
    const workDir = mkdtempSync(join(tmpdir(), 'eos-chaos-'));
    teardown.add(
      'temporary directories',
      async () => {
        rmSync(pgDir, { recursive: true, force: true });
        rmSync(workDir, { recursive: true, force: true });
      },
      () => {
        rmSync(pgDir, { recursive: true, force: true });
        rmSync(workDir, { recursive: true, force: true });
      },
    );

    log('initdb: a private Postgres cluster');
    const postgres = await PrivatePostgres.create(pgDir, await freePort());
    await postgres.start();
    teardown.add(
      'private Postgres',
      () => postgres.ensureStopped(),
      () => postgres.ensureStoppedSync(),
    );

    const redis = new PrivateRedis(workDir, await freePort());
    await redis.start();
    teardown.add(
      'private Redis',
      () => redis.close(),
      () => redis.stopSync(),
    );

    log('starting a private RabbitMQ node');
    const rabbitmq = new PrivateRabbitMq(workDir, {
      amqp: await freePort(),
      distribution: await freePort(),
      epmd: await freePort(),
    });
    teardown.add(
      'private RabbitMQ',
      () => rabbitmq.shutdown(),
      () => rabbitmq.shutdownSync(),
    );
    await rabbitmq.start();

    const proxies: ChaosProxies = {
      pgShared: await FaultProxy.open('postgres-shared', {
        host: shared.hostname,
        port: Number(shared.port || 5432),
      }),
      pgPrivate: await FaultProxy.open('postgres-private', { host: '127.0.0.1', port: postgres.port }),
      redis: await FaultProxy.open('redis', { host: '127.0.0.1', port: redis.port }),
      rabbitmq: await FaultProxy.open('rabbitmq', { host: '127.0.0.1', port: rabbitmq.ports.amqp }),
    };
    teardown.add('fault proxies', async () => {
      await Promise.all(Object.values(proxies).map((proxy: FaultProxy) => proxy.close()));
    });

    const through = (proxy: FaultProxy, direct: string): string => {
      const url = new URL(direct);
      url.hostname = '127.0.0.1';
      url.port = String(proxy.port);
      return url.toString();
    };
    const directUrls = {
      [SHARED_DATABASE]: sharedUrl(SHARED_DATABASE),
      [PRIVATE_DATABASE]: postgres.url(PRIVATE_DATABASE),
    };
    const ranges = {
      user: { '0-59': SHARED_DATABASE, '60-119': PRIVATE_DATABASE },
      merchant: { '0-59': PRIVATE_DATABASE, '60-119': SHARED_DATABASE },
    };
    const directShardMap = parseShardMap(JSON.stringify({ databases: directUrls, ...ranges }));
    const appShardMap: ShardMapJson = {
      databases: {
        [SHARED_DATABASE]: through(proxies.pgShared, directUrls[SHARED_DATABASE]),
        [PRIVATE_DATABASE]: through(proxies.pgPrivate, directUrls[PRIVATE_DATABASE]),
      },
      ...ranges,
    };

    log('provisioning the two chaos shard databases (240 schemas)');
    await provision({
      shardMap: directShardMap,
      catalogUrl: config.CATALOG_DATABASE_URL,
      seedDemoData: true,
    });
    return new ChaosStack(proxies, postgres, redis, rabbitmq, appShardMap, directShardMap, config);
  }

  /** The environment of an app under test: every dependency through its proxy. */
  appEnv(): Record<string, string> {
    return {
      HOST: '127.0.0.1',
      POSTGRES_URL: this.config.POSTGRES_URL,
      // The catalog is read through Redis and is no shard: it stays direct, on the shared server.
      CATALOG_DATABASE_URL: this.config.CATALOG_DATABASE_URL,
      EOS_SHARD_MAP: JSON.stringify(this.appShardMap),
      REDIS_URL: `redis://127.0.0.1:${this.proxies.redis.port}`,
      RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${this.proxies.rabbitmq.port}`,
      SWEEP_INTERVAL_MS: '0',
    };
  }
}
