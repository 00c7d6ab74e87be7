import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { systemClock } from './clock';
import { MAX_SEQUENCE, decodeOrderId } from './order-id.codec';
import { OrderIdGenerator } from './order-id.generator';
import { RedisWorkerLease } from './worker-lease';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const GENERATORS = 4;
const IDS_PER_GENERATOR = 250_000;
const CHUNK = 5_000;

interface Instance {
  redis: Redis;
  lease: RedisWorkerLease;
  generator: OrderIdGenerator;
}

describe('OrderIdGenerator on real worker leases', () => {
  const keyPrefix = `eos:test:idgen:${randomUUID()}:`;
  const instances: Instance[] = [];

  beforeAll(async () => {
    for (let i = 0; i < GENERATORS; i += 1) {
      // One connection per generator, as separate app instances would have.
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      const lease = new RedisWorkerLease({ redis, keyPrefix });
      instances.push({ redis, lease, generator: new OrderIdGenerator({ lease, clock: systemClock }) });
    }
    await Promise.all(instances.map((instance) => instance.lease.acquire()));
  });

  afterAll(async () => {
    await Promise.allSettled(instances.map((instance) => instance.lease.release()));
    const cleaner = instances[0]?.redis;
    if (cleaner !== undefined) {
      const keys = await cleaner.keys(`${keyPrefix}*`);
      if (keys.length > 0) await cleaner.del(...keys);
    }
    await Promise.allSettled(instances.map((instance) => instance.redis.quit()));
  });

  it('4 concurrent instances issue 1,000,000 unique ids, each instance in (ms, sequence) order', async () => {
    const workers = instances.map((instance) => instance.lease.worker);
    expect(new Set(workers).size).toBe(GENERATORS);

    const all = new BigInt64Array(GENERATORS * IDS_PER_GENERATOR);
    let filled = 0;

    const run = async (instance: Instance, index: number): Promise<void> => {
      let previousOrder = -1;
      const lastPerShard: bigint[] = new Array<bigint>(120).fill(0n);
      for (let done = 0; done < IDS_PER_GENERATOR; done += CHUNK) {
        for (let i = 0; i < CHUNK; i += 1) {
          const shard = Math.floor(Math.random() * 120);
          const id = BigInt(instance.generator.next(shard));
          const { timestampMs, sequence, worker } = decodeOrderId(id);
          const order = timestampMs * (MAX_SEQUENCE + 1) + sequence;
          if (order <= previousOrder || id <= lastPerShard[shard] || worker !== workers[index]) {
            throw new Error(`generator ${index} went out of order at id ${id}`);
          }
          previousOrder = order;
          lastPerShard[shard] = id;
          all[filled] = id;
          filled += 1;
        }
        // Yield so the four generators interleave like concurrent request handlers.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };

    await Promise.all(instances.map((instance, index) => run(instance, index)));

    expect(filled).toBe(GENERATORS * IDS_PER_GENERATOR);
    all.sort();
    let duplicates = 0;
    for (let i = 1; i < all.length; i += 1) {
      if (all[i] === all[i - 1]) duplicates += 1;
    }
    expect(duplicates).toBe(0);
    expect(all[0] > 0n).toBe(true);
  });
});
