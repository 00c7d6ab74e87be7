import type Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
import { cacheRequests } from './cache.metrics';
import { redisBreaker } from './redis-breaker';

export interface Versioned {
  readonly version: number;
}

export interface EntityCacheOptions {
  /** Name of the cache in metrics, and the key prefix after `eos:`. */
  readonly name: string;
  readonly ttlSeconds: number;
  /** Fraction of the TTL added at random, so entries loaded together do not expire together. */
  readonly jitterRatio?: number;
  /** Entries whose last decoded value this process keeps (see EntityCache.get); default 1,000. */
  readonly decodedEntries?: number;
}

interface DecodedEntry<T> {
  readonly raw: string;
  readonly value: T;
}

// Writes a value only if no newer version (or newer tombstone) is already there: a slow loader
// holding an old version can never overwrite what an invalidation or a newer load put in place.
const SET_IF_NEWER = `
local current = redis.call('GET', KEYS[1])
if current then
  local v = tonumber(string.match(current, '^"?(%d+)'))
  if v and v > tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2] .. '|' .. ARGV[1], 'EX', ARGV[3])
return 1`;

function versionOf(raw: string): number | null {
  const match = /^(\d+)\|/.exec(raw);
  return match ? Number(match[1]) : null;
}

/**
 * A Redis cache of one entity kind, keyed by entity id, each value stamped with the entity's
 * version. One loader runs per key at a time in this process; errors of Redis fall through to
 * the loader, so the cache can only make a read faster, never wrong.
 */
export class EntityCache<T extends Versioned> {
  private readonly inflight = new Map<string, Promise<T | null>>();
  private readonly jitter: number;
  private readonly decoded: LRUCache<string, DecodedEntry<T>>;

  constructor(
    private readonly redis: Redis,
    private readonly options: EntityCacheOptions,
  ) {
    this.jitter = options.jitterRatio ?? 0.1;
    this.decoded = new LRUCache({ max: options.decodedEntries ?? 1000 });
  }

  key(id: string): string {
    return `eos:${this.options.name}:${id}`;
  }

  /**
   * The entity from Redis, else from `load` (stored for the next reader). Redis is read on every
   * call, so a change there is seen at once; only the parse is saved: when Redis holds exactly the
   * text this process decoded last for `id`, the same value is returned again. Values that come
   * from the cache are therefore shared between callers and frozen: treat them as read-only.
   */
  async get(id: string, load: () => Promise<T | null>): Promise<T | null> {
    let cached: string | null = null;
    try {
      // While Redis's circuit is open this fails at once and the loader answers (bypass).
      cached = await redisBreaker(this.redis).execute(() => this.redis.get(this.key(id)));
    } catch {
      cacheRequests.inc({ cache: this.options.name, result: 'error' });
      return this.loadOnce(id, load, false);
    }
    const value = cached === null ? null : this.decodeOnce(id, cached);
    if (value) {
      cacheRequests.inc({ cache: this.options.name, result: 'hit' });
      return value;
    }
    cacheRequests.inc({ cache: this.options.name, result: 'miss' });
    // A tombstone says the entity reached at least its version: a load already running here may
    // have read the entity before that change, so its answer is taken only if it is as new.
    const atLeast = cached === null ? 0 : (versionOf(cached) ?? 0);
    return this.loadOnce(id, load, true, atLeast);
  }

  /**
   * Marks `id` changed at `version`: the entry is replaced by a tombstone older loads cannot beat.
   * False when Redis could not be told; a caller that must not leave a stale entry behind (a
   * revoked permission) can refuse its change then.
   */
  async invalidate(id: string, version: number): Promise<boolean> {
    if (!Number.isSafeInteger(version)) throw new TypeError(`invalid version ${String(version)} for ${id}`);
    // Not through the breaker: a tombstone is worth its timeout even while reads bypass Redis, and
    // a caller told `false` may refuse its change, which an open circuit alone must not cause.
    try {
      await this.redis.eval(SET_IF_NEWER, 1, this.key(id), 'tombstone', String(version), String(this.ttl()));
      return true;
    } catch {
      // Redis is down: its entries are unreachable anyway and expire by TTL once it is back.
      return false;
    }
  }

  // The checkout reads a menu per order; parsing its JSON each time was the largest item of our
  // own code in the profile (bench/README.md). Comparing the text is far cheaper than parsing it.
  private decodeOnce(id: string, raw: string): T | null {
    const seen = this.decoded.get(id);
    if (seen?.raw === raw) return seen.value;
    const value = this.decode(raw);
    if (value) this.decoded.set(id, { raw, value: deepFreeze(value) });
    else this.decoded.delete(id);
    return value;
  }

  private decode(raw: string): T | null {
    const separator = raw.indexOf('|');
    if (separator < 0) return null;
    const body = raw.slice(separator + 1);
    if (body === 'tombstone') return null;
    try {
      return JSON.parse(body) as T;
    } catch {
      return null;
    }
  }

  private ttl(): number {
    return Math.round(this.options.ttlSeconds * (1 + Math.random() * this.jitter));
  }

  private async loadOnce(
    id: string,
    load: () => Promise<T | null>,
    store: boolean,
    atLeast = 0,
  ): Promise<T | null> {
    const running = this.inflight.get(id);
    if (running) {
      const value = await running;
      if (atLeast === 0 || (value !== null && value.version >= atLeast)) return value;
      // Read before the change the tombstone marks. Any load started from now on began after it.
      return this.loadOnce(id, load, store);
    }
    const loading = (async () => {
      try {
        const value = await load();
        if (value && store) {
          await redisBreaker(this.redis)
            .execute(() =>
              this.redis.eval(
                SET_IF_NEWER,
                1,
                this.key(id),
                JSON.stringify(value),
                String(value.version),
                String(this.ttl()),
              ),
            )
            .catch(() => undefined);
        }
        return value;
      } finally {
        this.inflight.delete(id);
      }
    })();
    this.inflight.set(id, loading);
    return loading;
  }
}

function deepFreeze<V>(value: V): V {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
