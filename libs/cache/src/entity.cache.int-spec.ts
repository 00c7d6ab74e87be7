import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { EntityCache } from './entity.cache';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Thing {
  readonly version: number;
  readonly lines: { readonly price: number }[];
}

describe('EntityCache on the real Redis', () => {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const name = `test:entity:${randomUUID()}`;
  const cache = new EntityCache<Thing>(redis, { name, ttlSeconds: 60 });
  const ids: string[] = [];
  const fresh = (): string => {
    const id = randomUUID();
    ids.push(id);
    return id;
  };
  const loader = (thing: Thing) => {
    const load = jest.fn(() => Promise.resolve<Thing | null>(thing));
    return load;
  };

  afterAll(async () => {
    for (const id of ids) await redis.del(cache.key(id));
    await redis.quit();
  });

  it('loads once, then answers from Redis with one shared, frozen value while the entry is unchanged', async () => {
    const id = fresh();
    const load = loader({ version: 1, lines: [{ price: 100 }] });
    const loaded = await cache.get(id, load);
    const first = await cache.get(id, load);
    const second = await cache.get(id, load);
    expect(load).toHaveBeenCalledTimes(1);
    expect(first).toEqual(loaded);
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first?.lines[0])).toBe(true);
  });

  it('sees a change in Redis at once: a newer entry, and an invalidation', async () => {
    const id = fresh();
    const load = loader({ version: 1, lines: [{ price: 100 }] });
    await cache.get(id, load);
    expect((await cache.get(id, load))?.version).toBe(1);

    // Another process stored a newer version: the next read returns it, not the decoded old one.
    await redis.set(cache.key(id), `2|${JSON.stringify({ version: 2, lines: [{ price: 250 }] })}`);
    expect(await cache.get(id, load)).toEqual({ version: 2, lines: [{ price: 250 }] });

    // Invalidated at version 3: the tombstone sends the read to the loader again.
    await cache.invalidate(id, 3);
    const reload = loader({ version: 3, lines: [{ price: 300 }] });
    expect(await cache.get(id, reload)).toEqual({ version: 3, lines: [{ price: 300 }] });
    expect(reload).toHaveBeenCalledTimes(1);
  });
});
