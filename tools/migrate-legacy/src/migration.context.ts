import { LEGACY_MIGRATION_CATALOG_DDL, ShardDataSources } from '@eos/persistence';
import { OrderIdGenerator, RedisWorkerLease, ShardRouter, systemClock, type ShardMap } from '@eos/sharding';
import Redis from 'ioredis';
import { Pool } from 'pg';

/** Where a migration reads and writes: from configuration in the CLI, the test's own databases in tests. */
export interface MigrationTargets {
  readonly legacyUrl: string;
  readonly catalogUrl: string;
  readonly shardMap: ShardMap;
  readonly redisUrl: string;
  readonly log?: (line: string) => void;
}

export interface MigrationContext {
  readonly legacy: Pool;
  readonly catalog: Pool;
  readonly sources: ShardDataSources;
  readonly router: ShardRouter;
  readonly redisUrl: string;
  readonly log: (line: string) => void;
  close(): Promise<void>;
}

// Long enough for a big batch; the lock timeout bounds how long a copy waits on a legacy writer.
const STATEMENT_TIMEOUT_MS = 120_000;
const LOCK_TIMEOUT_MS = 30_000;

function pool(url: string, name: string): Pool {
  return new Pool({
    connectionString: url,
    max: 4,
    connectionTimeoutMillis: 5000,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    lock_timeout: LOCK_TIMEOUT_MS,
    application_name: name,
  });
}

/** Opens the pools of a migration run and makes sure the migration's catalog tables exist. */
export async function openMigration(targets: MigrationTargets): Promise<MigrationContext> {
  const legacy = pool(targets.legacyUrl, 'eos-migrate-legacy:legacy');
  const catalog = pool(targets.catalogUrl, 'eos-migrate-legacy:catalog');
  const sources = new ShardDataSources(targets.shardMap, {
    // Room for a backfill's and a relay's write lanes at once, plus their merchant-dimension writes.
    poolSize: 16,
    statementTimeoutMs: STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: 5000,
    applicationName: 'eos-migrate-legacy',
  });
  try {
    await catalog.query(LEGACY_MIGRATION_CATALOG_DDL);
    await sources.initialize();
  } catch (error) {
    await Promise.all([legacy.end(), catalog.end(), sources.destroy()]);
    throw error;
  }
  return {
    legacy,
    catalog,
    sources,
    router: new ShardRouter(targets.shardMap),
    redisUrl: targets.redisUrl,
    log: targets.log ?? ((line) => console.log(`migrate-legacy: ${line}`)),
    close: async () => {
      await Promise.all([legacy.end(), catalog.end(), sources.destroy()]);
    },
  };
}

/**
 * Runs `work` with an order-id generator on a worker number leased from Redis, like every app
 * instance: migrated orders get real eos ids, unique beside the running apps' ids.
 */
export async function withOrderIds<T>(
  redisUrl: string,
  work: (ids: OrderIdGenerator) => Promise<T>,
): Promise<T> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  await redis.connect();
  const lease = new RedisWorkerLease({ redis });
  try {
    await lease.acquire();
    return await work(new OrderIdGenerator({ lease, clock: systemClock }));
  } finally {
    await lease.release().catch(() => undefined);
    redis.disconnect();
  }
}
