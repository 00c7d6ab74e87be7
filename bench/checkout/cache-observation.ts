import Redis from 'ioredis';

export interface CacheCounts {
  readonly hits: number;
  readonly misses: number;
  readonly errors: number;
}

/** Menu cache lookups so far, read from the app's own /metrics (eos_cache_requests_total). */
export async function menuCacheCounts(appUrl: string): Promise<CacheCounts> {
  const text = await (await fetch(`${appUrl}/metrics`)).text();
  const read = (result: string): number => {
    const line = text
      .split('\n')
      .find(
        (candidate) =>
          candidate.startsWith('eos_cache_requests_total{') &&
          candidate.includes(`result="${result}"`) &&
          candidate.includes('cache="catalog:menu"'),
      );
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };
  return { hits: read('hit'), misses: read('miss'), errors: read('error') };
}

export function hitRatio(before: CacheCounts, after: CacheCounts): number {
  const hits = after.hits - before.hits;
  const total = hits + after.misses - before.misses + after.errors - before.errors;
  return total === 0 ? 1 : hits / total;
}

/** Redis keys by kind: menu cache entries and idempotency copies (counted with SCAN, not KEYS). */
export async function redisKeyCounts(
  redisUrl: string,
): Promise<{ menu: number; idempotency: number; total: number }> {
  const redis = new Redis(redisUrl, { lazyConnect: true });
  try {
    await redis.connect();
    const count = async (pattern: string): Promise<number> => {
      let cursor = '0';
      let n = 0;
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 10_000);
        cursor = next;
        n += keys.length;
      } while (cursor !== '0');
      return n;
    };
    return {
      menu: await count('eos:catalog:menu:*'),
      idempotency: await count('eos:idem:*'),
      total: await redis.dbsize(),
    };
  } finally {
    redis.disconnect();
  }
}
