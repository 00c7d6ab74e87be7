import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { DomainError, DomainErrorCode } from '@eos/domain';
import { systemClock, type Clock } from './clock';
import { WORKER_COUNT, decodeOrderId } from './order-id.codec';
import { OrderIdGenerator } from './order-id.generator';
import { RedisWorkerLease, type RedisWorkerLeaseOptions } from './worker-lease';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

class FakeClock implements Clock {
  constructor(public ms: number) {}
  now(): number {
    return this.ms;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(10);
  }
}

describe('RedisWorkerLease (real Redis)', () => {
  let redis: Redis;
  let keyPrefix: string;
  const leases: RedisWorkerLease[] = [];

  function lease(options: Partial<RedisWorkerLeaseOptions> = {}): RedisWorkerLease {
    const created = new RedisWorkerLease({ redis, keyPrefix, ...options });
    leases.push(created);
    return created;
  }

  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });

  beforeEach(() => {
    keyPrefix = `eos:test:idgen:${randomUUID()}:`;
  });

  afterEach(async () => {
    await Promise.allSettled(leases.splice(0).map((l) => l.release()));
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  });

  afterAll(async () => {
    await redis.quit();
  });

  it('gives two leases different worker numbers and stores the instance id', async () => {
    const a = lease();
    const b = lease();
    const [wa, wb] = await Promise.all([a.acquire(), b.acquire()]);
    expect(wa).not.toBe(wb);
    expect(a.worker).toBe(wa);
    expect(await redis.get(`${keyPrefix}${wa}`)).toBe(a.instanceId);
    expect(await redis.get(`${keyPrefix}${wb}`)).toBe(b.instanceId);
    expect(a.isValid() && b.isValid()).toBe(true);
    const ttl = await redis.pttl(`${keyPrefix}${wa}`);
    expect(ttl).toBeGreaterThan(25_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  it('throws IDS_UNAVAILABLE when all 64 numbers are leased', async () => {
    const all = Array.from({ length: WORKER_COUNT }, () => lease());
    const numbers: number[] = [];
    for (const l of all) numbers.push(await l.acquire());
    expect(new Set(numbers).size).toBe(WORKER_COUNT);
    const error = await lease()
      .acquire()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(DomainErrorCode.IdsUnavailable);
  });

  it('renews before expiry and stays valid well past its ttl', async () => {
    const a = lease({ ttlMs: 600, renewEveryMs: 100, safetyMarginMs: 100 });
    const worker = await a.acquire();
    const firstValidUntil = a.validUntil ?? 0;
    await sleep(1_500);
    expect(a.isValid()).toBe(true);
    expect(a.validUntil ?? 0).toBeGreaterThan(firstValidUntil + 800);
    expect(await redis.get(`${keyPrefix}${worker}`)).toBe(a.instanceId);
    const last = Number(await redis.get(`${keyPrefix}${worker}:last`));
    expect(last).toBeGreaterThanOrEqual((a.validUntil ?? 0) + a.maxAheadMs - 150);
  });

  it('leaves no future mark when released without issuing an id, so the next holder starts at once', async () => {
    const a = lease({ ttlMs: 3_000, renewEveryMs: 100 });
    const worker = await a.acquire();
    // Renewal published a conservative mark ahead of the clock (validity + maxAhead).
    expect(Number(await redis.get(`${keyPrefix}${worker}:last`))).toBeGreaterThan(Date.now());
    await a.release();
    expect(Number(await redis.get(`${keyPrefix}${worker}:last`))).toBeLessThanOrEqual(Date.now());
  });

  it('takes its key back when Redis lost it (a restart without data) and nobody held the number since', async () => {
    const reasons: string[] = [];
    const a = lease({ ttlMs: 3_000, renewEveryMs: 100, onLost: (reason) => reasons.push(reason) });
    const worker = await a.acquire();
    await redis.del(`${keyPrefix}${worker}`, `${keyPrefix}${worker}:last`);
    let owner: string | null = null;
    for (let tries = 0; tries < 500 && owner !== a.instanceId; tries += 1) {
      await sleep(10);
      owner = await redis.get(`${keyPrefix}${worker}`);
    }
    expect(owner).toBe(a.instanceId);
    expect(reasons).toEqual([]);
    expect([a.isValid(), a.isLost]).toEqual([true, false]);
    await a.release();
  });

  it('is lost at the next renewal when its key is gone and another holder published since, and can be re-acquired', async () => {
    const reasons: string[] = [];
    const a = lease({ ttlMs: 3_000, renewEveryMs: 100, onLost: (reason) => reasons.push(reason) });
    const worker = await a.acquire();
    // Another instance held the number meanwhile and left its (later) high-water mark.
    await redis.del(`${keyPrefix}${worker}`);
    await redis.set(`${keyPrefix}${worker}:last`, String(Date.now() + 3_600_000), 'PX', 60_000);
    await until(() => reasons.length > 0);
    expect(a.isValid()).toBe(false);
    expect(a.isLost).toBe(true);
    expect(reasons[0]).toMatch(new RegExp(`worker ${worker} lease key expired or was taken`));
    // Permanently invalid: later renewals do not revive it even if the key reappears.
    await redis.set(`${keyPrefix}${worker}`, a.instanceId, 'PX', 3_000);
    await sleep(300);
    expect(a.isValid()).toBe(false);
    await redis.del(`${keyPrefix}${worker}`, `${keyPrefix}${worker}:last`);
    await a.acquire();
    expect(a.isValid()).toBe(true);
    expect(a.isLost).toBe(false);
    await a.release();
  });

  it('is lost when another instance took the key', async () => {
    const a = lease({ ttlMs: 3_000, renewEveryMs: 100 });
    const worker = await a.acquire();
    await redis.set(`${keyPrefix}${worker}`, 'someone-else', 'PX', 3_000);
    await until(() => a.isLost);
    expect(a.isValid()).toBe(false);
    await a.release();
    expect(await redis.get(`${keyPrefix}${worker}`)).toBe('someone-else');
  });

  it('release frees the number for the next instance and stops the old holder', async () => {
    const a = lease();
    const worker = await a.acquire();
    const lastIssued = Date.now();
    a.recordIssued(lastIssued);
    await a.release();
    expect(a.isValid()).toBe(false);
    expect(() => a.worker).toThrow(/not acquired/);
    expect(await redis.exists(`${keyPrefix}${worker}`)).toBe(0);
    // A clean release publishes the exact high-water mark, so a successor need not wait out a margin.
    expect(Number(await redis.get(`${keyPrefix}${worker}:last`))).toBe(lastIssued);
    // Fill every other number so the successor must take the released one.
    for (let n = 0; n < WORKER_COUNT; n += 1) {
      if (n !== worker) await redis.set(`${keyPrefix}${n}`, 'other', 'PX', 10_000);
    }
    const b = lease();
    expect(await b.acquire()).toBe(worker);
    expect(b.isValid()).toBe(true);
  });

  it('the next holder of a worker number never reuses a millisecond of the previous one', async () => {
    // The first holder's clock runs 500 ms ahead of the second's.
    const skewed = new FakeClock(Date.now() + 500);
    const a = lease({ clock: skewed });
    const worker = await a.acquire();
    const first = new OrderIdGenerator({ lease: a, clock: skewed });
    let highest = 0n;
    for (let i = 0; i < 2_000; i += 1) highest = BigInt(first.next(5));
    await a.release();
    for (let n = 0; n < WORKER_COUNT; n += 1) {
      if (n !== worker) await redis.set(`${keyPrefix}${n}`, 'other', 'PX', 10_000);
    }
    const b = lease();
    expect(await b.acquire()).toBe(worker);
    const next = BigInt(new OrderIdGenerator({ lease: b, clock: systemClock }).next(5));
    expect(decodeOrderId(next).timestampMs).toBeGreaterThan(decodeOrderId(highest).timestampMs);
  });

  it('ignores an unreadable high-water mark', async () => {
    for (let n = 0; n < WORKER_COUNT; n += 1) await redis.set(`${keyPrefix}${n}:last`, 'garbage');
    const a = lease();
    const worker = await a.acquire();
    expect(a.isValid()).toBe(true);
    expect(Number(await redis.get(`${keyPrefix}${worker}:last`))).toBeGreaterThan(Date.now());
  });

  it('a successor waits until the clock passes the previous holder last millisecond', async () => {
    const last = Date.now() + 300;
    for (let n = 0; n < WORKER_COUNT; n += 1) await redis.set(`${keyPrefix}${n}:last`, String(last));
    const a = lease();
    await a.acquire();
    expect(Date.now()).toBeGreaterThan(last);
    expect(a.isValid()).toBe(true);
  });

  it('refuses ids until the clock passes the floor when it could not wait for it', async () => {
    const clock = new FakeClock(Date.now());
    for (let n = 0; n < WORKER_COUNT; n += 1) {
      await redis.set(`${keyPrefix}${n}:last`, String(clock.ms + 1_000));
    }
    const a = lease({ clock, maxStartWaitMs: 0 });
    await a.acquire();
    expect(a.isValid()).toBe(false);
    clock.ms += 1_000;
    expect(a.isValid()).toBe(false);
    clock.ms += 1;
    expect(a.isValid()).toBe(true);
  });

  it('after a crash, publishes a floor above every id the crashed holder could still issue', async () => {
    const clock = new FakeClock(Date.now());
    const a = lease({ clock, ttlMs: 30_000, safetyMarginMs: 2_000, maxAheadMs: 5_000 });
    const worker = await a.acquire();
    const floor = Number(await redis.get(`${keyPrefix}${worker}:last`));
    // The holder may issue until validUntil, up to maxAheadMs ahead of its clock.
    expect(floor).toBe((a.validUntil ?? 0) + 5_000);
    expect(a.validUntil).toBe(clock.ms + 28_000);
  });

  it('keeps ids flowing while Redis is unreachable until the lease would have expired, then stops', async () => {
    const clock = new FakeClock(Date.now());
    const errors: unknown[] = [];
    const flaky = new Redis(REDIS_URL, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
    });
    await flaky.connect();
    const a = lease({
      redis: flaky,
      clock,
      ttlMs: 3_000,
      renewEveryMs: 50,
      safetyMarginMs: 500,
      onRenewError: (e) => errors.push(e),
    });
    const worker = await a.acquire();
    const validUntil = a.validUntil ?? 0;
    flaky.disconnect();
    await until(() => errors.length >= 2);
    expect(a.isLost).toBe(false);
    clock.ms = validUntil - 1;
    expect(a.isValid()).toBe(true);
    clock.ms = validUntil;
    expect(a.isValid()).toBe(false);
    expect(a.isLost).toBe(false);
    // Release stops renewal at once even though its Redis call fails on the dead connection.
    await expect(a.release()).rejects.toThrow();
    expect(a.isValid()).toBe(false);
    await redis.del(`${keyPrefix}${worker}`);
  });
});
