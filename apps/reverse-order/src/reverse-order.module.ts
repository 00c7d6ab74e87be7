import { Module } from '@nestjs/common';
import { REDIS, RedisCacheModule, redisProbe } from '@eos/cache';
import { EosConfigModule, OperationsModule, READINESS_PROBES, ReadinessProbe } from '@eos/common';
import { MessagingModule, RABBITMQ_PROBE } from '@eos/messaging';
import { ShardDataSources, ShardPersistenceModule, shardProbes } from '@eos/persistence';
import Redis from 'ioredis';
import { STAFF_PROBE, StaffModule } from './staff/staff.module';
import { RefundsModule } from './refunds/refunds.module';
import { ReverseRequestsModule } from './requests/reverse-requests.module';
import { ConsoleModule } from './console/console.module';

/** Cancellations, refunds and customer service: one feature module per line below StaffModule. */
@Module({
  imports: [
    EosConfigModule,
    RedisCacheModule,
    // Its own pool size: a flood of reverse work never takes the connections checkout needs.
    ShardPersistenceModule.forRoot({ poolSizeKey: 'REVERSE_PG_POOL_SIZE' }),
    StaffModule,
    MessagingModule,
    RefundsModule,
    ReverseRequestsModule,
    ConsoleModule,
    OperationsModule.register({
      imports: [StaffModule],
      probes: {
        provide: READINESS_PROBES,
        inject: [ShardDataSources, REDIS, STAFF_PROBE, RABBITMQ_PROBE],
        useFactory: (
          sources: ShardDataSources,
          redis: Redis,
          staff: ReadinessProbe,
          rabbitmq: ReadinessProbe,
        ) => [...shardProbes(sources), redisProbe(redis), staff, rabbitmq],
      },
    }),
  ],
})
export class ReverseOrderModule {}
