const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);
const STATEMENT_TIMEOUT = '57014';
const LOST_CONNECTION =
  /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED|Query read timeout/i;

function codeOf(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function driverErrorOf(error: Error): unknown {
  const driverError = (error as { driverError?: unknown }).driverError;
  return driverError !== error ? driverError : undefined;
}

/**
 * True when an error says the database server could not be reached or gave up on us: a socket
 * error, connection class 08, insufficient resources 53 (too many connections), shutdown 57P, a pool
 * acquire timeout, a connection dropped mid-query, no answer within the client's read timeout.
 * A statement timeout is not one: the server answered, the query was slow.
 */
export function isShardOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = codeOf(error);
  if (
    code !== undefined &&
    (CONNECTION_ERRNOS.has(code) || code.startsWith('08') || code.startsWith('53') || code.startsWith('57P'))
  ) {
    return true;
  }
  const driverError = driverErrorOf(error);
  if (driverError !== undefined && isShardOutage(driverError)) return true;
  return LOST_CONNECTION.test(error.message);
}

/**
 * True when the database could not serve the call: an outage (above), or a statement timeout
 * (57014), which the caller sees alike (SHARD_UNAVAILABLE), as opposed to a query's own fault.
 */
export function isUnavailability(error: unknown): boolean {
  if (isShardOutage(error)) return true;
  if (!(error instanceof Error)) return false;
  if (codeOf(error) === STATEMENT_TIMEOUT) return true;
  const driverError = driverErrorOf(error);
  return driverError instanceof Error && codeOf(driverError) === STATEMENT_TIMEOUT;
}
