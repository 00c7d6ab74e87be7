import { Module } from '@nestjs/common';
import { CatalogModule } from '@eos/catalog';
import { MessagingModule } from '@eos/messaging';
import { OrderingModule } from '@eos/ordering';
import {
  MembershipRepository,
  ShardDataSources,
  ShardTransactions,
  VirtualFulfilmentRepository,
  VirtualGoodsStateReader,
  VirtualOrderRepository,
  VoucherRepository,
} from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import { MembershipQueryService } from './membership-query.service';
import { MembershipsController } from './memberships.controller';
import { VIRTUAL_BUSINESS_LINES } from './virtual-business-line';
import { VIRTUAL_BUSINESS_LINE_CONFIG } from './virtual-business-lines.config';
import { VirtualBusinessLines } from './virtual-business-lines.registry';
import { CheckoutIdempotency } from '../orders/checkout-idempotency';
import { VirtualCheckoutService } from './virtual-checkout.service';
import { VirtualExtensions } from './virtual-extensions.service';
import { VirtualFulfilmentConsumer } from './virtual-fulfilment.consumer';
import { VirtualFulfilmentService } from './virtual-fulfilment.service';
import { VirtualOrderSweeps } from './virtual-order.sweeps';
import { VirtualOrdersController } from './virtual-orders.controller';
import { VirtualSweepScheduler } from './virtual-sweep.scheduler';
import { VoucherRedemptionService } from './voucher-redemption.service';
import { VouchersController } from './vouchers.controller';

/**
 * Virtual goods on forward-order: creation, fulfilment by business line (event consumer and
 * backstop sweep), completion, voucher redemption and membership reads. The lines come from
 * VIRTUAL_BUSINESS_LINES; their handler classes need no registration beyond that configuration.
 */
@Module({
  imports: [CatalogModule, OrderingModule, MessagingModule],
  controllers: [VirtualOrdersController, VouchersController, MembershipsController],
  providers: [
    { provide: VIRTUAL_BUSINESS_LINES, useValue: VIRTUAL_BUSINESS_LINE_CONFIG },
    {
      provide: VirtualOrderRepository,
      inject: [ShardDataSources, ShardRouter],
      useFactory: (sources: ShardDataSources, router: ShardRouter) =>
        new VirtualOrderRepository(sources, router),
    },
    {
      provide: VirtualFulfilmentRepository,
      inject: [ShardDataSources],
      useFactory: (sources: ShardDataSources) => new VirtualFulfilmentRepository(sources),
    },
    {
      provide: MembershipRepository,
      inject: [ShardDataSources],
      useFactory: (sources: ShardDataSources) => new MembershipRepository(sources),
    },
    { provide: VoucherRepository, useFactory: () => new VoucherRepository() },
    {
      provide: ShardTransactions,
      inject: [ShardDataSources],
      useFactory: (sources: ShardDataSources) => new ShardTransactions(sources),
    },
    {
      provide: VirtualGoodsStateReader,
      inject: [VoucherRepository, MembershipRepository],
      useFactory: (vouchers: VoucherRepository, memberships: MembershipRepository) =>
        new VirtualGoodsStateReader(vouchers, memberships),
    },
    VirtualBusinessLines,
    VirtualCheckoutService,
    CheckoutIdempotency,
    VirtualExtensions,
    VirtualFulfilmentService,
    VirtualFulfilmentConsumer,
    VirtualOrderSweeps,
    VirtualSweepScheduler,
    VoucherRedemptionService,
    MembershipQueryService,
  ],
  exports: [VirtualExtensions, VirtualOrderSweeps, VirtualFulfilmentService, VirtualGoodsStateReader],
})
export class VirtualGoodsModule {}
