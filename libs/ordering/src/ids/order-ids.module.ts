import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { REDIS } from '@eos/cache';
import { OrderIdGenerator, RedisWorkerLease, systemClock } from '@eos/sharding';
import Redis from 'ioredis';

const RETRY_ACQUIRE_MS = 2000;

/**
 * This instance's id generator (orders, reverse requests, refunds), on a worker number leased from Redis. When no lease can be
 * had (Redis down at start), checkout answers IDS_UNAVAILABLE while acquisition retries.
 */
@Global()
@Module({
  providers: [
    {
      provide: RedisWorkerLease,
      inject: [REDIS],
      useFactory: async (redis: Redis) => {
        const logger = new Logger('order-ids');
        const lease: RedisWorkerLease = new RedisWorkerLease({
          redis,
          onLost: (reason) => {
            logger.error(`worker lease lost (${reason}); re-acquiring`);
            retry();
          },
        });
        let retrying = false;
        const retry = (): void => {
          if (retrying) return;
          retrying = true;
          const attempt = (): void => {
            lease.acquire().then(
              (worker) => {
                retrying = false;
                logger.log(`leased worker number ${worker}`);
              },
              () => setTimeout(attempt, RETRY_ACQUIRE_MS).unref(),
            );
          };
          attempt();
        };
        try {
          const worker = await lease.acquire();
          logger.log(`leased worker number ${worker}`);
        } catch (error) {
          logger.warn(
            `no worker lease yet (${error instanceof Error ? error.message : String(error)}); retrying`,
          );
          retry();
        }
        return lease;
      },
    },
    {
      provide: OrderIdGenerator,
      inject: [RedisWorkerLease],
      useFactory: (lease: RedisWorkerLease) => new OrderIdGenerator({ lease, clock: systemClock }),
    },
  ],
  exports: [OrderIdGenerator],
})
export class OrderIdsModule implements OnApplicationShutdown {
  constructor(@Inject(RedisWorkerLease) private readonly lease: RedisWorkerLease) {}

  async onApplicationShutdown(): Promise<void> {
    await this.lease.release().catch(() => undefined);
  }
}
