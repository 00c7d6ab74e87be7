import { DomainError, DomainErrorCode } from '@eos/domain';

const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

/**
 * True when an error says the database could not be reached or gave up on us (connection class
 * 08, insufficient resources 53 (too many connections), shutdown 57P, statement timeout 57014, pool acquire timeout), as opposed to a query's fault.
 */
export function isUnavailability(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (
      CONNECTION_ERRNOS.has(code) ||
      code.startsWith('08') ||
      code.startsWith('53') ||
      code.startsWith('57P') ||
      code === '57014'
    )
      return true;
  }
  const driverError = (error as { driverError?: unknown }).driverError;
  if (driverError && driverError !== error && isUnavailability(driverError)) return true;
  return /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED|Query read timeout/i.test(
    error.message,
  );
}

/** Runs `work` against one shard database, turning its unavailability into a fast SHARD_UNAVAILABLE. */
export async function onShard<T>(database: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUnavailability(error)) {
      throw new DomainError(
        DomainErrorCode.ShardUnavailable,
        `the order database ${database} is unavailable`,
        {
          database,
        },
      );
    }
    throw error;
  }
}
