import { Module } from '@nestjs/common';
import { REDIS, RedisCacheModule, redisProbe } from '@eos/cache';
import { EosConfigModule, OperationsModule, READINESS_PROBES, ReadinessProbe } from '@eos/common';
import { OrderingModule } from '@eos/ordering';
import {
  DeliveryAssignmentRepository,
  MerchantFeedRepository,
  OrderTransitionRepository,
  ShardDataSources,
  ShardPersistenceModule,
  shardProbes,
} from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import Redis from 'ioredis';
import { BlinkStatusGrpc } from './blink-status.grpc';
import { DeliveryOrdersGrpc } from './delivery/delivery-orders.grpc';
import { DeliveryOrdersService } from './delivery/delivery-orders.service';
import { MerchantCommandsService } from './merchant/merchant-commands.service';
import { MerchantFeedPruner } from './merchant/merchant-feed.pruner';
import { MerchantFeedService } from './merchant/merchant-feed.service';
import { MerchantOrderListService } from './merchant/merchant-order-list.service';
import { MerchantOrdersGrpc } from './merchant/merchant-orders.grpc';
import { PARTNERS_PROBE, PartnersModule } from './partners/partners.module';

/**
 * The gRPC bridge for partners: thin handlers over the shared order operations (@eos/ordering),
 * the merchant dimension and the delivery assignments; health and metrics over HTTP beside it.
 */
@Module({
  imports: [
    EosConfigModule,
    RedisCacheModule,
    ShardPersistenceModule,
    OrderingModule,
    PartnersModule,
    OperationsModule.register({
      imports: [PartnersModule],
      probes: {
        provide: READINESS_PROBES,
        inject: [ShardDataSources, REDIS, PARTNERS_PROBE],
        useFactory: (sources: ShardDataSources, redis: Redis, partners: ReadinessProbe) => [
          ...shardProbes(sources),
          redisProbe(redis),
          partners,
        ],
      },
    }),
  ],
  controllers: [BlinkStatusGrpc, MerchantOrdersGrpc, DeliveryOrdersGrpc],
  providers: [
    {
      provide: OrderTransitionRepository,
      inject: [ShardDataSources],
      useFactory: (sources: ShardDataSources) => new OrderTransitionRepository(sources),
    },
    {
      provide: MerchantFeedRepository,
      inject: [ShardDataSources],
      useFactory: (sources: ShardDataSources) => new MerchantFeedRepository(sources),
    },
    {
      provide: DeliveryAssignmentRepository,
      inject: [ShardDataSources, ShardRouter],
      useFactory: (sources: ShardDataSources, router: ShardRouter) =>
        new DeliveryAssignmentRepository(sources, router),
    },
    MerchantFeedService,
    MerchantFeedPruner,
    MerchantOrderListService,
    MerchantCommandsService,
    DeliveryOrdersService,
  ],
})
export class OscBlinkModule {}
