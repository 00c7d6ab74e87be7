import { Module } from '@nestjs/common';
import { EOS_CONFIG, EosConfig } from '@eos/common';
import { OrderIdGenerator, ShardRouter, systemClock } from '@eos/sharding';
import { OrderingModule } from '../ordering.module';
import { CustomerCancellations } from './customer-cancellations';
import { RefundRequests } from './refund-requests';
import { ReverseSettings } from './reverse-operation.types';
import { ReverseStore } from './reverse-store';
import { StaffCancellation } from './staff-cancellation';
import { StaffDecisions } from './staff-decisions';

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
    {
      provide: CustomerCancellations,
      inject: [ReverseStore, OrderIdGenerator, ShardRouter, REVERSE_SETTINGS],
      useFactory: (
        store: ReverseStore,
        ids: OrderIdGenerator,
        router: ShardRouter,
        settings: ReverseSettings,
      ) => new CustomerCancellations(store, ids, router, systemClock, settings),
    },
    {
      provide: RefundRequests,
      inject: [ReverseStore, OrderIdGenerator, ShardRouter],
      useFactory: (store: ReverseStore, ids: OrderIdGenerator, router: ShardRouter) =>
        new RefundRequests(store, ids, router, systemClock),
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
      inject: [ReverseStore, ShardRouter],
      useFactory: (store: ReverseStore, router: ShardRouter) =>
        new StaffCancellation(store, router, systemClock),
    },
  ],
  exports: [OrderingModule, CustomerCancellations, RefundRequests, StaffDecisions, StaffCancellation],
})
export class ReverseOperationsModule {}
