// Deadlock, serialization failure, lock timeout: a copier waiting on a legacy writer or on another
// copier can meet one; Postgres aborts the transaction and the batch is simply tried again.
const RETRYABLE = new Set(['40P01', '40001', '55P03']);

export const MAX_BATCH_ATTEMPTS = 5;

export function isRetryable(error: unknown): boolean {
  return RETRYABLE.has((error as { code?: string }).code ?? '');
}
