import { Module } from '@nestjs/common';
import { CatalogModule } from '@eos/catalog';
import { REDIS, RedisCacheModule, redisProbe } from '@eos/cache';
import { EosConfigModule, OperationsModule, READINESS_PROBES } from '@eos/common';
import { ShardDataSources, ShardPersistenceModule, shardProbes } from '@eos/persistence';
import Redis from 'ioredis';
import { OrderIdsModule } from './ids/order-ids.module';
import { MenuController } from './menu/menu.controller';
import { CheckoutService } from './orders/checkout.service';
import { OrderQueryService } from './orders/order-query.service';
import { OrdersController } from './orders/orders.controller';

@Module({
  imports: [
    EosConfigModule,
    RedisCacheModule,
    ShardPersistenceModule,
    CatalogModule,
    OrderIdsModule,
    OperationsModule.register({
      probes: {
        provide: READINESS_PROBES,
        inject: [ShardDataSources, REDIS],
        useFactory: (sources: ShardDataSources, redis: Redis) => [...shardProbes(sources), redisProbe(redis)],
      },
    }),
  ],
  controllers: [MenuController, OrdersController],
  providers: [CheckoutService, OrderQueryService],
})
export class ForwardOrderModule {}
