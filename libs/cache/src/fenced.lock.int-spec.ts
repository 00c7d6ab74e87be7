import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { FencedLock } from './fenced.lock';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('FencedLock on the real Redis', () => {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const lock = new FencedLock(redis);
  const names: string[] = [];
  const fresh = (): string => {
    const name = `test:fenced:${randomUUID()}`;
    names.push(name);
    return name;
  };

  afterAll(async () => {
    for (const name of names) await redis.del(`eos:lock:{${name}}`, `eos:lock:{${name}}:fence`);
    await redis.quit();
  });

  it('is held by one at a time, and free again once released', async () => {
    const name = fresh();
    const first = await lock.acquire(name, 10_000);
    expect(first).not.toBeNull();
    expect(await lock.acquire(name, 10_000)).toBeNull();
    await first?.release();
    const second = await lock.acquire(name, 10_000);
    expect(second?.token).toBeGreaterThan(first?.token ?? Infinity);
    await second?.release();
  });

  it('gives 50 contenders exactly one lease', async () => {
    const name = fresh();
    const leases = await Promise.all(Array.from({ length: 50 }, () => lock.acquire(name, 10_000)));
    expect(leases.filter((lease) => lease !== null)).toHaveLength(1);
  });

  it('expires a lease; the late holder cannot release its successor’s lock, whose token is higher', async () => {
    const name = fresh();
    const paused = await lock.acquire(name, 50);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const successor = await lock.acquire(name, 10_000);
    expect(successor?.token).toBeGreaterThan(paused?.token ?? Infinity);
    await paused?.release();
    expect(await lock.acquire(name, 10_000)).toBeNull();
    await successor?.release();
  });

  it('never issues a token below the clock, so losing the counter cannot repeat old tokens', async () => {
    const name = fresh();
    const first = await lock.acquire(name, 10_000);
    await first?.release();
    // Redis restarted without persistence: the counter is gone.
    await redis.del(`eos:lock:{${name}}:fence`);
    const after = await new FencedLock(redis, () => Date.now() + 5).acquire(name, 10_000);
    expect(after?.token).toBeGreaterThan(first?.token ?? Infinity);
    await after?.release();
  });
});
