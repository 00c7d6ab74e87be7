import { OrderIdGenerator, RedisWorkerLease, systemClock } from '@eos/sharding';
import Redis from 'ioredis';

/**
 * Order ids for the ceiling from a worker number leased in Redis, like the app's own: the lease
 * guarantees the app (or anything else running) never holds the same number, so ceiling ids can
 * never collide with order ids the app issues, now or later.
 */
export class LeasedOrderIds {
  private constructor(
    private readonly redis: Redis,
    private readonly lease: RedisWorkerLease,
    private readonly generator: OrderIdGenerator,
  ) {}

  static async acquire(redisUrl: string): Promise<LeasedOrderIds> {
    const redis = new Redis(redisUrl, { connectionName: 'eos-bench-ceiling', maxRetriesPerRequest: 1 });
    try {
      const lease = new RedisWorkerLease({
        redis,
        onLost: (reason) => console.error(`checkout bench: ceiling worker lease lost (${reason})`),
      });
      await lease.acquire();
      return new LeasedOrderIds(redis, lease, new OrderIdGenerator({ lease, clock: systemClock }));
    } catch (error) {
      redis.disconnect();
      throw error;
    }
  }

  get worker(): number {
    return this.lease.worker;
  }

  next(userShard: number): string {
    return this.generator.next(userShard);
  }

  async release(): Promise<void> {
    try {
      await this.lease.release();
    } finally {
      await this.redis.quit();
    }
  }
}
