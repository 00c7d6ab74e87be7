import type { ShardRoute } from '@eos/sharding';
import type { PoolClient } from 'pg';
import { ShardDataSources } from '../shards/shard-data-sources';
import { onShard } from '../shards/shard-failure';
import { QueryDeadlineExceeded, currentQueryDeadline } from '../shards/query-deadline';

/**
 * One open transaction on one user shard, handed explicitly to every repository call that must
 * join it. Rows come back as pg returns them (int8 as strings).
 */
export interface ShardTransaction {
  readonly route: ShardRoute;
  query<R>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

/**
 * Runs work in a transaction on a shard's database: commit when the work returns, roll back when it
 * throws (a domain refusal included, so a refused step leaves nothing behind). The raw pg client
 * of a pooled connection is used because TypeORM's `query` answers `[rows, count]` for a bare
 * UPDATE ... RETURNING, and the repositories here want rows whatever the statement.
 */
export class ShardTransactions {
  constructor(private readonly sources: ShardDataSources) {}

  run<T>(route: ShardRoute, work: (tx: ShardTransaction) => Promise<T>): Promise<T> {
    return onShard(route.database, async () => {
      const runner = this.sources.get(route.database).createQueryRunner();
      try {
        const client = (await runner.connect()) as PoolClient;
        const tx: ShardTransaction = {
          route,
          query: async <R>(text: string, params: readonly unknown[] = []) =>
            (await client.query(text, params as unknown[])).rows as R[],
        };
        const deadline = currentQueryDeadline();
        await client.query('BEGIN');
        try {
          if (deadline !== undefined) await boundBy(client, deadline);
          const result = await work(tx);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          if (deadline !== undefined && isStatementTimeout(error) && Date.now() >= deadline - MIN_BUDGET_MS) {
            throw new QueryDeadlineExceeded(deadline);
          }
          throw error;
        }
      } finally {
        await runner.release();
      }
    });
  }
}

// Below this many milliseconds a statement cannot usefully start.
const MIN_BUDGET_MS = 2;

function isStatementTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '57014';
}

/**
 * Inside a caller's deadline (a gRPC call's, see query-deadline.ts), every statement of the
 * transaction is cancelled by Postgres itself when the deadline passes, lock waits included, so
 * the transaction's locks are not held for a caller who gave up.
 */
async function boundBy(client: PoolClient, deadline: number): Promise<void> {
  const left = Math.floor(deadline - Date.now());
  if (left < MIN_BUDGET_MS) throw new QueryDeadlineExceeded(deadline);
  // Only ever shortens the pool's own statement timeout (0 there means none).
  await client.query(
    `SELECT set_config('statement_timeout',
       CASE WHEN s.setting::bigint = 0 OR s.setting::bigint > $1 THEN $1::text ELSE s.setting END, true)
     FROM pg_settings s WHERE s.name = 'statement_timeout'`,
    [left],
  );
}
