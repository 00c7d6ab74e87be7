interface DeathRecord {
  readonly queue?: unknown;
  readonly reason?: unknown;
  readonly count?: unknown;
}

/** Reasons a message left a consumer's queue through a failure (not the retry queue's expiry). */
const FAILURE_REASONS = new Set(['rejected', 'delivery_limit']);

/**
 * How many times this message has already failed in `queue`, read from the broker's `x-death`
 * header: every nack (and every redelivery limit reached) dead-letters it once more from that
 * queue, and the broker counts them per queue and reason. A fresh message has none.
 */
export function failedAttempts(
  properties: { readonly headers?: Readonly<Record<string, unknown>> },
  queue: string,
): number {
  const deaths: unknown = properties.headers?.['x-death'];
  if (!Array.isArray(deaths)) return 0;
  let total = 0;
  for (const death of deaths as DeathRecord[]) {
    if (death.queue !== queue || typeof death.reason !== 'string' || !FAILURE_REASONS.has(death.reason)) {
      continue;
    }
    const count = Number(death.count);
    if (Number.isSafeInteger(count) && count > 0) total += count;
  }
  return total;
}

export type FailureVerdict = 'retry' | 'park';

/**
 * After the `attempt`-th failed try (1 = the first delivery): retry while retries remain, then
 * park. `maxRetries` 3 means 4 tries in all.
 */
export function failureVerdict(attempt: number, maxRetries: number): FailureVerdict {
  return attempt > maxRetries ? 'park' : 'retry';
}
