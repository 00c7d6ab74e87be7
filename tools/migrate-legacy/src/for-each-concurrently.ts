/**
 * Runs `work` over the items with at most `concurrency` at once. Shard-wide steps go through it
 * rather than one Promise.all over every shard: a pg pool times out a caller that waits longer
 * than its connection timeout for a free client, so 120 schemas queued on a pool of 16 fail on a
 * slow database instead of waiting their turn.
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
