import type { ShardRouter } from '@eos/sharding';
import type { Pool, PoolClient } from 'pg';
import { pgPoolOf } from '../shards/pg-pool';
import type { ShardDataSources } from '../shards/shard-data-sources';
import { checkoutStatementName, checkoutStatementText } from './checkout.sql';

export interface WarmUpReport {
  readonly connections: number;
  readonly statements: number;
}

/**
 * Opens every connection of every shard pool and prepares the checkout statement of each user
 * schema of that database on it, inside a transaction that is rolled back, so nothing is written.
 *
 * Why: a fresh Postgres backend pays about 2 ms the first time it runs the checkout in a schema
 * (relation caches for five tables and their indexes, parse, plan), and there is one statement per
 * schema and connection: 60 schemas x 16 connections per database. Paid under load right after a
 * start, that was a 10 s window with a p99 of seconds and timeouts at 300 checkouts/s; paid before
 * the app listens, it costs a few seconds of start-up instead.
 */
export async function warmCheckoutStatements(
  sources: ShardDataSources,
  router: ShardRouter,
  connectionsPerDatabase: number,
): Promise<WarmUpReport> {
  const reports = await Promise.all(
    [...router.userRoutesByDatabase()].map(([database, routes]) =>
      warmDatabase(
        initializedPool(sources, database),
        routes.map((route) => route.schema),
        connectionsPerDatabase,
      ),
    ),
  );
  return {
    connections: reports.reduce((sum, report) => sum + report.connections, 0),
    statements: reports.reduce((sum, report) => sum + report.statements, 0),
  };
}

function initializedPool(sources: ShardDataSources, database: string): Pool {
  const pool = pgPoolOf(sources.get(database));
  if (!pool) throw new Error(`the pool of ${database} is not open yet: initialize the data sources first`);
  return pool;
}

async function warmDatabase(
  pool: Pool,
  schemas: readonly string[],
  connections: number,
): Promise<WarmUpReport> {
  // Held together, so the pool opens `connections` distinct connections rather than reusing one.
  const clients: PoolClient[] = [];
  try {
    for (let i = 0; i < connections; i += 1) clients.push(await pool.connect());
    await Promise.all(
      clients.map(async (client, index) => {
        await client.query('BEGIN');
        try {
          for (const schema of schemas) {
            await client.query({
              name: checkoutStatementName(schema),
              text: checkoutStatementText(schema),
              values: warmUpParams(index),
            });
          }
        } finally {
          // The statements stay prepared on the connection; the rows go.
          await client.query('ROLLBACK');
        }
      }),
    );
    return { connections: clients.length, statements: clients.length * schemas.length };
  } finally {
    for (const client of clients) client.release();
  }
}

/**
 * The checkout statement's 21 parameters for a row that is never committed. Each connection (of
 * each process: cluster workers warm up at once) has its own negative user, key and order id, so
 * that none waits on another's uncommitted key.
 */
function warmUpParams(connection: number): unknown[] {
  const id = String(-(process.pid * 1000 + connection + 1));
  const now = new Date().toISOString();
  return [
    id, // user_id
    `warm-up-${process.pid}-${connection}`, // idempotency key
    'warm-up', // request hash
    id, // order id
    now, // created_at
    '0', // merchant_id
    'DELIVERY',
    'CREATED',
    0, // subtotal
    0, // packaging fee
    0, // delivery fee
    0, // discount
    0, // total
    'CNY',
    '{}', // address
    null, // note
    now, // payment deadline
    '[]', // lines
    'order.created',
    '{}', // event payload
    null, // trace context
  ];
}
