import { Module } from '@nestjs/common';
import { CatalogModule } from '@eos/catalog';
import { REDIS, RedisCacheModule, redisProbe } from '@eos/cache';
import { EosConfigModule, OperationsModule, READINESS_PROBES, ReadinessProbe } from '@eos/common';
import { MessagingModule, RABBITMQ_PROBE } from '@eos/messaging';
import { OrderIdsModule, OrderingModule } from '@eos/ordering';
import {
  LegacyOrderPersistenceModule,
  ShardDataSources,
  ShardPersistenceModule,
  shardProbes,
} from '@eos/persistence';
import Redis from 'ioredis';
import { MerchantProjectionService } from './events/merchant-projection.service';
import { MerchantProjectorConsumer } from './events/merchant-projector.consumer';

import { MenuController } from './menu/menu.controller';
import { CheckoutIdempotency } from './orders/checkout-idempotency';
import { CheckoutWarmUp } from './orders/checkout-warm-up.service';
import { CheckoutService } from './orders/checkout.service';
import { LegacyOrderQueryService } from './orders/legacy-order-query.service';
import { LegacyOrdersController } from './orders/legacy-orders.controller';
import { OrderQueryService } from './orders/order-query.service';
import { OrdersController } from './orders/orders.controller';
import { PaymentsController } from './payments/payments.controller';
import { PaymentSignatureGuard } from './payments/payment-signature.guard';
import { SweepScheduler } from './sweeps/sweep.scheduler';
import { VirtualGoodsModule } from './virtual/virtual-goods.module';

@Module({
  imports: [
    EosConfigModule,
    RedisCacheModule,
    ShardPersistenceModule,
    LegacyOrderPersistenceModule,
    CatalogModule,
    OrderIdsModule,
    OrderingModule,
    MessagingModule,
    VirtualGoodsModule,
    OperationsModule.register({
      probes: {
        provide: READINESS_PROBES,
        inject: [ShardDataSources, REDIS, RABBITMQ_PROBE],
        useFactory: (sources: ShardDataSources, redis: Redis, rabbitmq: ReadinessProbe) => [
          ...shardProbes(sources),
          redisProbe(redis),
          rabbitmq,
        ],
      },
    }),
  ],
  controllers: [MenuController, OrdersController, LegacyOrdersController, PaymentsController],
  providers: [
    CheckoutService,
    CheckoutWarmUp,
    CheckoutIdempotency,
    OrderQueryService,
    LegacyOrderQueryService,
    PaymentSignatureGuard,
    SweepScheduler,
    MerchantProjectionService,
    MerchantProjectorConsumer,
  ],
})
export class ForwardOrderModule {}
