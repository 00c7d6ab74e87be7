import { Module } from '@nestjs/common';
import { REDIS, RedisCacheModule, redisProbe } from '@eos/cache';
import { EosConfigModule, OperationsModule, READINESS_PROBES } from '@eos/common';
import Redis from 'ioredis';
import { BlinkStatusGrpc } from './blink-status.grpc';

/** The gRPC bridge for partners; health and metrics over HTTP beside it. */
@Module({
  imports: [
    EosConfigModule,
    RedisCacheModule,
    OperationsModule.register({
      probes: {
        provide: READINESS_PROBES,
        inject: [REDIS],
        useFactory: (redis: Redis) => [redisProbe(redis)],
      },
    }),
  ],
  controllers: [BlinkStatusGrpc],
})
export class OscBlinkModule {}
