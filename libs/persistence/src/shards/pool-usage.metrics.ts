import { Gauge, register } from 'prom-client';
import type { DataSource } from 'typeorm';
import { pgPoolOf } from './pg-pool';

/** The counters node-postgres keeps on its pool. */
interface PgPoolCounts {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

interface TrackedPool {
  /** The pool's role in the process (`eos`, `eos-outbox-relay`...), never per request. */
  readonly pool: string;
  readonly database: string;
  readonly dataSource: DataSource;
}

const tracked = new Set<TrackedPool>();

function countsOf(dataSource: DataSource): PgPoolCounts | undefined {
  if (!dataSource.isInitialized) return undefined;
  const pool = pgPoolOf(dataSource);
  return typeof pool?.totalCount === 'number' ? pool : undefined;
}

/** Sums the counts of every tracked pool by (pool, database): two apps in one process share a label set. */
function usage(): Map<string, { pool: string; database: string } & PgPoolCounts> {
  const sums = new Map<string, { pool: string; database: string } & PgPoolCounts>();
  for (const { pool, database, dataSource } of tracked) {
    const counts = countsOf(dataSource);
    if (!counts) continue;
    const key = `${pool}\u0000${database}`;
    const sum = sums.get(key) ?? { pool, database, totalCount: 0, idleCount: 0, waitingCount: 0 };
    sums.set(key, {
      ...sum,
      totalCount: sum.totalCount + counts.totalCount,
      idleCount: sum.idleCount + counts.idleCount,
      waitingCount: sum.waitingCount + counts.waitingCount,
    });
  }
  return sums;
}

function single<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

/** Connections open per pool and database, by state (`total`, `idle`); read from the pools at each scrape. */
export const pgPoolConnections = single(
  'eos_pg_pool_connections',
  () =>
    new Gauge<'pool' | 'database' | 'state'>({
      name: 'eos_pg_pool_connections',
      help: 'Postgres connections open per pool and database, by state (total, idle; busy = total - idle)',
      labelNames: ['pool', 'database', 'state'],
      collect() {
        this.reset();
        for (const { pool, database, totalCount, idleCount } of usage().values()) {
          this.set({ pool, database, state: 'total' }, totalCount);
          this.set({ pool, database, state: 'idle' }, idleCount);
        }
      },
    }),
);

/** Queries waiting for a connection of a full pool; read at each scrape. */
export const pgPoolWaiting = single(
  'eos_pg_pool_waiting_clients',
  () =>
    new Gauge<'pool' | 'database'>({
      name: 'eos_pg_pool_waiting_clients',
      help: 'Callers waiting for a Postgres connection, per pool and database',
      labelNames: ['pool', 'database'],
      collect() {
        this.reset();
        for (const { pool, database, waitingCount } of usage().values()) {
          this.set({ pool, database }, waitingCount);
        }
      },
    }),
);

/** Reports `dataSource`'s pool in the gauges above until untrackPoolUsage. */
export function trackPoolUsage(pool: string, database: string, dataSource: DataSource): void {
  tracked.add({ pool, database, dataSource });
}

export function untrackPoolUsage(dataSource: DataSource): void {
  for (const entry of tracked) if (entry.dataSource === dataSource) tracked.delete(entry);
}
