import { DataSource } from 'typeorm';
import type { ShardMap } from '@eos/sharding';
import { trackPoolUsage, untrackPoolUsage } from './pool-usage.metrics';
import { DeadlineBoundDataSource } from './query-deadline';

export interface PoolOptions {
  readonly poolSize: number;
  readonly statementTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly applicationName: string;
}

/**
 * Our named (prepared) statements (checkout, my orders, the projector's upsert) are looked up by
 * key, so their best plan does not depend on the values. By default Postgres still plans the first
 * five executions of each one afresh, on each connection and for each shard schema: 16 connections
 * x 60 schemas x 5 per database, which kept a freshly started app's Postgres planning for its
 * first tens of seconds under load. A generic plan is made once and kept. Unnamed statements are
 * planned on every run whatever this says.
 */
const SESSION_OPTIONS = '-c plan_cache_mode=force_generic_plan';

/**
 * Builds the options of a pg pool with every timeout pg leaves unset by default: a statement,
 * lock, idle-in-transaction and connect timeout, so no call can hang on a sick database; and
 * generic plans for prepared statements (SESSION_OPTIONS).
 */
export function pgPoolExtra(options: PoolOptions): Record<string, unknown> {
  return {
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.statementTimeoutMs,
    lock_timeout: options.statementTimeoutMs,
    idle_in_transaction_session_timeout: options.statementTimeoutMs * 2,
    query_timeout: options.statementTimeoutMs + 1000,
    application_name: options.applicationName,
    options: SESSION_OPTIONS,
  };
}

/** A pool whose queries also honour the deadline of the caller's scope (see query-deadline.ts). */
export function createPostgresDataSource(url: string, options: PoolOptions): DataSource {
  return new DeadlineBoundDataSource(
    {
      type: 'postgres',
      url,
      synchronize: false,
      migrationsRun: false,
      logging: false,
      extra: pgPoolExtra(options),
    },
    options.statementTimeoutMs,
  );
}

/**
 * One TypeORM DataSource (one pg pool) per physical database of the shard map: never one per
 * logical shard, since 240 pools would exhaust Postgres connections.
 */
export class ShardDataSources {
  private readonly sources = new Map<string, DataSource>();

  constructor(
    map: ShardMap,
    private readonly options: PoolOptions,
  ) {
    for (const [database, url] of Object.entries(map.databases)) this.add(database, url);
  }

  private add(database: string, url: string): DataSource {
    const source = createPostgresDataSource(url, {
      ...this.options,
      applicationName: `${this.options.applicationName}:${database}`,
    });
    this.sources.set(database, source);
    trackPoolUsage(this.options.applicationName, database, source);
    return source;
  }

  has(database: string): boolean {
    return this.sources.has(database);
  }

  /**
   * Opens the pool of a database that a newer shard map declares (a shard moved there). Resolves
   * once the pool is ready, so the map that routes to it is installed only after.
   */
  async open(database: string, url: string): Promise<void> {
    if (this.sources.has(database)) return;
    const source = this.add(database, url);
    try {
      await source.initialize();
    } catch (error) {
      this.sources.delete(database);
      untrackPoolUsage(source);
      throw error;
    }
  }

  get(database: string): DataSource {
    const source = this.sources.get(database);
    if (!source) throw new Error(`no data source for database ${database}`);
    return source;
  }

  entries(): [string, DataSource][] {
    return [...this.sources.entries()];
  }

  async initialize(): Promise<void> {
    await Promise.all([...this.sources.values()].map((source) => source.initialize()));
  }

  async destroy(): Promise<void> {
    for (const source of this.sources.values()) untrackPoolUsage(source);
    await Promise.all(
      [...this.sources.values()].filter((source) => source.isInitialized).map((source) => source.destroy()),
    );
  }
}
