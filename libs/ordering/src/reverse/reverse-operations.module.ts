import { Module } from '@nestjs/common';
import { EOS_CONFIG, EosConfig } from '@eos/common';
import {
  MembershipRepository,
  ShardDataSources,
  VirtualGoodsStateReader,
  VoucherRepository,
} from '@eos/persistence';
import { OrderIdGenerator, ShardRouter, systemClock } from '@eos/sharding';
import { OrderingModule } from '../ordering.module';
import { CustomerCancellations } from './customer-cancellations';
import { ImmediateCancellation } from './immediate-cancellation';
import { RefundRequests } from './refund-requests';
import { ReverseSettings } from './reverse-operation.types';
import { ReverseStore } from './reverse-store';
import { StaffCancellation } from './staff-cancellation';
import { StaffDecisions } from './staff-decisions';
import { VirtualGoodsStore } from './virtual-goods-store';

export const REVERSE_SETTINGS = Symbol('REVERSE_SETTINGS');

/**
 * The reverse steps that open requests and decide them for customers and staff. They issue ids
 * for requests and refunds, so the importing app must also import OrderIdsModule (global); the
 * steps without new ids (merchant decision, escalation) come with OrderingModule itself.
 */
@Module({
  imports: [OrderingModule],
  providers: [
    {
      provide: REVERSE_SETTINGS,
      inject: [EOS_CONFIG],
      useFactory: (config: EosConfig): ReverseSettings => ({
        cancellationDecisionMs: config.CANCELLATION_DECISION_MINUTES * 60_000,
        twoPersonThresholdCents: config.TWO_PERSON_THRESHOLD_CENTS,
      }),
    },
    // Virtual goods as the reverse flow takes them back (refunds of unused goods, staff force-cancel).
    {
      provide: VirtualGoodsStore,
      inject: [ShardDataSources],
      useFactory: (sources: ShardDataSources) => {
        const vouchers = new VoucherRepository();
        const memberships = new MembershipRepository(sources);
        return new VirtualGoodsStore(
          new VirtualGoodsStateReader(vouchers, memberships),
          vouchers,
          memberships,
        );
      },
    },
    {
      provide: ImmediateCancellation,
      inject: [ReverseStore, VirtualGoodsStore, OrderIdGenerator],
      useFactory: (store: ReverseStore, goods: VirtualGoodsStore, ids: OrderIdGenerator) =>
        new ImmediateCancellation(store, goods, ids),
    },
    {
      provide: CustomerCancellations,
      inject: [ReverseStore, ImmediateCancellation, OrderIdGenerator, ShardRouter, REVERSE_SETTINGS],
      useFactory: (
        store: ReverseStore,
        atOnce: ImmediateCancellation,
        ids: OrderIdGenerator,
        router: ShardRouter,
        settings: ReverseSettings,
      ) => new CustomerCancellations(store, atOnce, ids, router, systemClock, settings),
    },
    {
      provide: RefundRequests,
      inject: [ReverseStore, ImmediateCancellation, OrderIdGenerator, ShardRouter],
      useFactory: (
        store: ReverseStore,
        atOnce: ImmediateCancellation,
        ids: OrderIdGenerator,
        router: ShardRouter,
      ) => new RefundRequests(store, atOnce, ids, router, systemClock),
    },
    {
      provide: StaffDecisions,
      inject: [ReverseStore, OrderIdGenerator, ShardRouter, REVERSE_SETTINGS],
      useFactory: (
        store: ReverseStore,
        ids: OrderIdGenerator,
        router: ShardRouter,
        settings: ReverseSettings,
      ) => new StaffDecisions(store, ids, router, systemClock, settings),
    },
    {
      provide: StaffCancellation,
      inject: [ReverseStore, VirtualGoodsStore, ShardRouter],
      useFactory: (store: ReverseStore, goods: VirtualGoodsStore, router: ShardRouter) =>
        new StaffCancellation(store, goods, router, systemClock),
    },
  ],
  exports: [OrderingModule, CustomerCancellations, RefundRequests, StaffDecisions, StaffCancellation],
})
export class ReverseOperationsModule {}
