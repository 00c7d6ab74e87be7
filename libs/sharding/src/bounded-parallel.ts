/**
 * Runs `work` over `items` with at most `limit` in flight, so a large batch cannot drain a pool:
 * a pg pool fails a caller that waits longer than its connection timeout for a free client, so
 * 120 shards queued at once on 16 connections fail on a slow database instead of taking turns.
 */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await work(item);
    }
  });
  await Promise.all(lanes);
}
