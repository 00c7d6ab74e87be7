import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, DataSourceOptions, ObjectLiteral, QueryRunner } from 'typeorm';

/**
 * The time by which a caller needs its answer (a gRPC deadline, for instance). Work started for
 * it must stop then, not merely be abandoned: a query still running after its caller gave up
 * holds a connection and its locks for nobody.
 */
export class QueryDeadlineExceeded extends Error {
  constructor(readonly deadline: number) {
    super(`the caller's deadline passed (${new Date(deadline).toISOString()})`);
    this.name = 'QueryDeadlineExceeded';
  }
}

const deadlines = new AsyncLocalStorage<number>();

/**
 * Runs `work` with every query that a DeadlineBoundDataSource issues inside it bounded by
 * `deadline` (epoch milliseconds). The deadline follows the async calls of `work` (AsyncLocalStorage),
 * so libraries that know nothing of deadlines are bounded too. An inner scope can only shorten it.
 */
export function withQueryDeadline<T>(deadline: number, work: () => T): T {
  const outer = deadlines.getStore();
  return deadlines.run(outer === undefined ? deadline : Math.min(outer, deadline), work);
}

/** The deadline of the current scope, if any. */
export function currentQueryDeadline(): number | undefined {
  return deadlines.getStore();
}

// Below this many milliseconds a query cannot usefully start: refuse it at once.
const MIN_BUDGET_MS = 2;
const STATEMENT_TIMEOUT = '57014';

function isStatementTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === STATEMENT_TIMEOUT;
}

/**
 * A DataSource whose `query` honours the deadline of the current scope. When the time left is
 * shorter than the pool's own statement timeout, the statement runs in a transaction opened
 * together with `SET LOCAL statement_timeout = <time left>` (one round trip), so Postgres itself
 * cancels it (lock waits included) when the deadline passes, and the connection goes back clean.
 * Outside a scope, or with more time left than the pool allows anyway, it is a plain query.
 */
export class DeadlineBoundDataSource extends DataSource {
  constructor(
    options: DataSourceOptions,
    private readonly poolStatementTimeoutMs: number,
  ) {
    super(options);
  }

  override async query<T = unknown>(
    query: string,
    parameters?: unknown[] | ObjectLiteral,
    queryRunner?: QueryRunner,
  ): Promise<T> {
    const deadline = deadlines.getStore();
    if (deadline === undefined || queryRunner !== undefined)
      return super.query<T>(query, parameters, queryRunner);
    const left = deadline - Date.now();
    if (left < MIN_BUDGET_MS) throw new QueryDeadlineExceeded(deadline);
    if (left >= this.poolStatementTimeoutMs) return super.query<T>(query, parameters);
    return this.boundedQuery<T>(query, parameters, deadline);
  }

  private async boundedQuery<T>(
    query: string,
    parameters: unknown[] | ObjectLiteral | undefined,
    deadline: number,
  ): Promise<T> {
    const runner = this.createQueryRunner();
    // Returns normally only once the runner holds a connection; see connectWithin for the rest.
    await connectWithin(runner, deadline);
    let open = false;
    try {
      const left = Math.floor(deadline - Date.now());
      if (left < MIN_BUDGET_MS) throw new QueryDeadlineExceeded(deadline);
      // A whole number formatted by us, never input: safe to inline (SET takes no parameters).
      await runner.query(`BEGIN; SET LOCAL statement_timeout = ${left}`);
      open = true;
      const result = (await runner.query(query, parameters as unknown[] | undefined)) as T;
      await runner.query('COMMIT');
      open = false;
      return result;
    } catch (error) {
      if (open) await runner.query('ROLLBACK').catch(() => undefined);
      if (isStatementTimeout(error) && Date.now() >= deadline - MIN_BUDGET_MS) {
        throw new QueryDeadlineExceeded(deadline);
      }
      throw error;
    } finally {
      await runner.release();
    }
  }
}

/**
 * Takes a pooled connection, waiting no longer than the deadline. A connection that arrives
 * after the caller gave up is handed straight back to the pool.
 */
async function connectWithin(runner: QueryRunner, deadline: number): Promise<void> {
  const connecting = runner.connect();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueryDeadlineExceeded(deadline)), Math.max(0, deadline - Date.now()));
  });
  try {
    await Promise.race([connecting, late]);
  } catch (error) {
    // Released only once obtained: a runner released earlier would keep the late connection forever.
    connecting.then(
      () => runner.release(),
      () => undefined,
    );
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
