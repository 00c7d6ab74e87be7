/**
 * How long to pause after a batch so that copying stays at or under `ratePerSecond` orders a
 * second on average: a batch of n orders is allowed n / rate seconds, and whatever of that the
 * batch did not use is slept. No rate (undefined or 0) means no pause.
 */
export function pauseAfterBatchMs(
  orders: number,
  elapsedMs: number,
  ratePerSecond: number | undefined,
): number {
  if (ratePerSecond === undefined || ratePerSecond <= 0 || orders <= 0) return 0;
  const allowedMs = (orders / ratePerSecond) * 1000;
  return Math.max(0, Math.ceil(allowedMs - elapsedMs));
}

export interface BatchOptions {
  readonly batch: number;
  readonly rate: number | undefined;
}

export const MAX_BATCH = 20_000;

/** Checks --batch and --rate; returns a message naming the bad option, or null. */
export function batchOptionsProblem(options: BatchOptions): string | null {
  if (!Number.isSafeInteger(options.batch) || options.batch < 1 || options.batch > MAX_BATCH) {
    return `--batch must be a whole number from 1 to ${MAX_BATCH}, got ${String(options.batch)}`;
  }
  if (options.rate !== undefined && (!Number.isFinite(options.rate) || options.rate <= 0)) {
    return `--rate must be a positive number of orders per second, got ${String(options.rate)}`;
  }
  return null;
}

/**
 * The checkpoint after a batch: the highest old id in it (ids come ascending), or the previous
 * checkpoint for an empty batch, which also means the keyset is exhausted.
 */
export function nextCheckpoint(
  previous: string,
  batchIds: readonly string[],
): { after: string; done: boolean } {
  if (batchIds.length === 0) return { after: previous, done: true };
  return { after: batchIds[batchIds.length - 1], done: false };
}
