import { Module } from '@nestjs/common';
import { REDIS, RedisCacheModule, redisProbe } from '@eos/cache';
import { EosConfigModule, OperationsModule, READINESS_PROBES } from '@eos/common';
import { ShardDataSources, ShardPersistenceModule, shardProbes } from '@eos/persistence';
import Redis from 'ioredis';

/** Cancellations, refunds and customer service. For now it starts and reports its health. */
@Module({
  imports: [
    EosConfigModule,
    RedisCacheModule,
    ShardPersistenceModule,
    OperationsModule.register({
      probes: {
        provide: READINESS_PROBES,
        inject: [ShardDataSources, REDIS],
        useFactory: (sources: ShardDataSources, redis: Redis) => [...shardProbes(sources), redisProbe(redis)],
      },
    }),
  ],
})
export class ReverseOrderModule {}
