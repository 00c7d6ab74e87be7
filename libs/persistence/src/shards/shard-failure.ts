import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { CircuitOpenError } from '@eos/common';
import { DomainError, DomainErrorCode } from '@eos/domain';
import { shardBreaker } from './shard-breakers';
import { awaitShardMove, isShardMoved, movedSchemaOf } from './shard-moved';
import { isShardOutage, isUnavailability } from './shard-outage';

export { isShardOutage, isUnavailability } from './shard-outage';

export interface OnShardOptions {
  /**
   * The work may run twice with the same effect: a read, or a write its idempotency key or its
   * version guard makes harmless to repeat. Only such work is tried a second time after a
   * connection failure (never after a statement timeout, never while the circuit is open).
   */
  readonly idempotent?: boolean;
}

// One more try, 50 to 200 ms later: enough to get past one dropped pooled connection, too little to
// keep a caller waiting on a database that is really gone (its breaker takes over then).
const retryOnce = retry(handleWhen(isShardOutage), {
  maxAttempts: 1,
  backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 200 }),
});

/**
 * Runs `work` against one shard database through the database's circuit breaker, turning its
 * unavailability into SHARD_UNAVAILABLE (503). While the breaker is open the work is not started at
 * all: the users of a dead database get their answer at once, and every other database's users
 * are served as usual (each database has its own pool and breaker).
 */
export async function onShard<T>(
  database: string,
  work: () => Promise<T>,
  options: OnShardOptions = {},
): Promise<T> {
  try {
    return await onShardOnce(database, work, options);
  } catch (error) {
    if (!isShardMoved(error)) throw error;
    return afterMove(database, work, options, movedSchemaOf(error));
  }
}

// A write that hit a moved shard's fence waits this long in all for the map to switch.
const MOVE_WAIT_MS = 5000;
// Between tries on the same database, in case the fence was lifted (a move that failed verify).
const SAME_DATABASE_RETRY_MS = 250;

/**
 * The shard moved to another database and its old copy refuses writes (the fence rolled the attempt
 * back entirely). Once this process's map routes the schema elsewhere, the work runs again: the
 * routes it closed over read their database from the live map, so it lands on the new one. Narrow
 * on purpose: every repository and transaction goes through onShard.
 */
async function afterMove<T>(
  database: string,
  work: () => Promise<T>,
  options: OnShardOptions,
  schema: string | undefined,
): Promise<T> {
  const giveUpAt = Date.now() + MOVE_WAIT_MS;
  for (;;) {
    await awaitShardMove(
      schema,
      database,
      Math.min(SAME_DATABASE_RETRY_MS, Math.max(0, giveUpAt - Date.now())),
    );
    try {
      return await onShardOnce(database, work, options);
    } catch (error) {
      if (!isShardMoved(error)) throw error;
      if (Date.now() >= giveUpAt) {
        throw new DomainError(
          DomainErrorCode.ShardUnavailable,
          `shard ${schema ?? '?'} is being moved off ${database}; try again shortly`,
          { database },
        );
      }
    }
  }
}

async function onShardOnce<T>(database: string, work: () => Promise<T>, options: OnShardOptions): Promise<T> {
  const breaker = shardBreaker(database);
  try {
    return options.idempotent
      ? await retryOnce.execute(() => breaker.execute(work))
      : await breaker.execute(work);
  } catch (error) {
    if (error instanceof CircuitOpenError || isUnavailability(error)) {
      throw new DomainError(
        DomainErrorCode.ShardUnavailable,
        error instanceof CircuitOpenError
          ? `the order database ${database} is unavailable (failing fast until it answers again)`
          : `the order database ${database} is unavailable`,
        { database },
      );
    }
    throw error;
  }
}
