import { Module } from '@nestjs/common';
import { FencedLock, REDIS } from '@eos/cache';
import { EOS_CONFIG, EosConfig } from '@eos/common';
import { OutboxSignal } from '@eos/messaging';
import {
  AuditLogRepository,
  OrderRefundRepository,
  OrderSweepRepository,
  OrderTimelineRepository,
  ReverseOrderRepository,
  ReverseRequestRepository,
  ShardTransactions,
  OrderTransitionRepository,
  PaymentNotificationRepository,
  SettlementRepository,
  ShardDataSources,
} from '@eos/persistence';
import { ShardRouter, liveShardMap, systemClock } from '@eos/sharding';
import Redis from 'ioredis';
import { OrderTransitions } from './order-transitions';
import { CancellationEscalation } from './reverse/cancellation-escalation';
import { MerchantCancellationDecisions } from './reverse/merchant-cancellation-decisions';
import { ReverseStore } from './reverse/reverse-store';
import { PaymentNotifications } from './payments/payment-notifications';
import { SettlementReport } from './settlement/settlement-report';
import { OrderSweeps } from './sweeps/order-sweeps';

/** A completion pass over one shard takes well under a second; the lease only bounds a crashed holder. */
const SWEEP_LOCK_TTL_MS = 30_000;
// Connections a sweep may hold at once per pass, leaving most of the pool to requests.
const SWEEP_PARALLELISM = 4;

/**
 * The order operations shared by the apps: transitions, payment notifications, deadline sweeps,
 * settlement. Needs the global config, shard persistence and Redis modules of the importing app.
 */
@Module({
  providers: [
    {
      provide: OrderTransitionRepository,
      // The outbox wake-up exists only where a relay runs (forward-order); elsewhere rows wait for
      // the relay's poll.
      inject: [ShardDataSources, { token: OutboxSignal, optional: true }],
      useFactory: (sources: ShardDataSources, signal?: OutboxSignal) =>
        new OrderTransitionRepository(sources, signal ? (shard) => signal.notify(shard) : undefined),
    },
    {
      provide: PaymentNotificationRepository,
      inject: [ShardDataSources],
      useFactory: (sources: ShardDataSources) => new PaymentNotificationRepository(sources),
    },
    {
      provide: OrderSweepRepository,
      inject: [ShardDataSources],
      useFactory: (sources: ShardDataSources) => new OrderSweepRepository(sources),
    },
    {
      provide: SettlementRepository,
      inject: [ShardDataSources],
      useFactory: (sources: ShardDataSources) => new SettlementRepository(sources),
    },
    { provide: FencedLock, inject: [REDIS], useFactory: (redis: Redis) => new FencedLock(redis) },
    {
      provide: OrderTransitions,
      inject: [OrderTransitionRepository, ShardRouter],
      useFactory: (repository: OrderTransitionRepository, router: ShardRouter) =>
        new OrderTransitions(repository, router, systemClock),
    },
    {
      provide: PaymentNotifications,
      inject: [OrderTransitionRepository, PaymentNotificationRepository, ShardRouter],
      useFactory: (
        orders: OrderTransitionRepository,
        payments: PaymentNotificationRepository,
        router: ShardRouter,
      ) => new PaymentNotifications(orders, payments, router, systemClock),
    },
    {
      provide: OrderSweeps,
      inject: [OrderTransitions, OrderSweepRepository, ShardRouter, FencedLock, EOS_CONFIG],
      useFactory: (
        transitions: OrderTransitions,
        candidates: OrderSweepRepository,
        router: ShardRouter,
        lock: FencedLock,
        config: EosConfig,
      ) =>
        new OrderSweeps(
          transitions,
          candidates,
          router,
          lock,
          systemClock,
          {
            acceptanceWindowMs: config.ACCEPTANCE_WINDOW_MINUTES * 60_000,
            afterSaleWindowMs: config.AFTER_SALE_WINDOW_HOURS * 3_600_000,
          },
          {
            batchSize: config.SWEEP_BATCH_SIZE,
            lockTtlMs: SWEEP_LOCK_TTL_MS,
            parallelism: SWEEP_PARALLELISM,
          },
        ),
    },
    {
      provide: SettlementReport,
      inject: [SettlementRepository, ShardRouter],
      useFactory: (repository: SettlementRepository, router: ShardRouter) =>
        new SettlementReport(repository, router),
    },
    // The reverse flow's tables and the reverse steps that need no new ids (osc-blink's merchant
    // decision, the escalation sweep); the steps that create requests are in ReverseOperationsModule.
    {
      provide: ShardTransactions,
      inject: [ShardDataSources],
      useFactory: (sources: ShardDataSources) => new ShardTransactions(sources),
    },
    { provide: ReverseOrderRepository, useFactory: () => new ReverseOrderRepository() },
    {
      provide: ReverseRequestRepository,
      inject: [ShardDataSources],
      useFactory: (sources: ShardDataSources) => new ReverseRequestRepository(sources),
    },
    {
      provide: OrderRefundRepository,
      inject: [ShardDataSources],
      useFactory: (sources: ShardDataSources) => new OrderRefundRepository(sources),
    },
    {
      provide: AuditLogRepository,
      inject: [ShardDataSources, ShardRouter],
      useFactory: (sources: ShardDataSources, router: ShardRouter) =>
        new AuditLogRepository(sources, liveShardMap(router)),
    },
    {
      provide: OrderTimelineRepository,
      inject: [ShardDataSources],
      useFactory: (sources: ShardDataSources) => new OrderTimelineRepository(sources),
    },
    {
      provide: ReverseStore,
      inject: [
        ShardTransactions,
        ReverseOrderRepository,
        ReverseRequestRepository,
        OrderRefundRepository,
        AuditLogRepository,
      ],
      useFactory: (
        transactions: ShardTransactions,
        orders: ReverseOrderRepository,
        requests: ReverseRequestRepository,
        refunds: OrderRefundRepository,
        audit: AuditLogRepository,
      ) => new ReverseStore(transactions, orders, requests, refunds, audit),
    },
    {
      provide: MerchantCancellationDecisions,
      inject: [ReverseStore, ShardRouter],
      useFactory: (store: ReverseStore, router: ShardRouter) =>
        new MerchantCancellationDecisions(store, router, systemClock),
    },
    {
      provide: CancellationEscalation,
      inject: [ReverseRequestRepository, ShardRouter, EOS_CONFIG],
      useFactory: (requests: ReverseRequestRepository, router: ShardRouter, config: EosConfig) =>
        new CancellationEscalation(requests, router, systemClock, config.SWEEP_BATCH_SIZE),
    },
  ],
  exports: [
    OrderTransitions,
    PaymentNotifications,
    OrderSweeps,
    SettlementReport,
    ReverseStore,
    ReverseRequestRepository,
    OrderRefundRepository,
    AuditLogRepository,
    OrderTimelineRepository,
    MerchantCancellationDecisions,
    CancellationEscalation,
  ],
})
export class OrderingModule {}
