import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { EOS_CONFIG, EosConfig } from '@eos/common';
import Redis from 'ioredis';
import { IdempotencyCache } from './idempotency.cache';
import { connectRedis, createRedisClient } from './redis.client';

export const REDIS = Symbol('REDIS');

/** The app's Redis connection and what is built on it. Starts even when Redis is down (degraded). */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [EOS_CONFIG],
      useFactory: async (config: EosConfig) => {
        const client = createRedisClient({
          url: config.REDIS_URL,
          commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
          name: 'eos',
        });
        await connectRedis(client);
        return client;
      },
    },
    { provide: IdempotencyCache, inject: [REDIS], useFactory: (redis: Redis) => new IdempotencyCache(redis) },
  ],
  exports: [REDIS, IdempotencyCache],
})
export class RedisCacheModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
