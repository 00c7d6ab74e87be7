import { Module } from '@nestjs/common';
import { EOS_CONFIG, EosConfig } from '@eos/common';
import { OutboxSignal } from '@eos/messaging';
import { OrderIdsModule } from '@eos/ordering';
import { RefundRepository, SHARD_MAP, ShardDataSources } from '@eos/persistence';
import { OrderIdGenerator, ShardMap, ShardRouter, systemClock } from '@eos/sharding';
import { StaffModule } from '../staff/staff.module';
import { PaymentProviderClient } from './payment-provider.client';
import { RefundIntakeConsumer } from './refund-intake.consumer';
import { RefundIntake } from './refund-intake.service';
import { RefundExecutor } from './refund.executor';
import { RefundWorker } from './refund.worker';
import { RefundsController } from './refunds.controller';
import { StaffRefunds } from './staff-refunds.service';

// Refunds claimed (and refund dues taken) per shard per pass, and provider calls at once per shard.
const BATCH_SIZE = 20;
const CALL_PARALLELISM = 4;
const SHARD_PARALLELISM = 2;

/**
 * Refund execution: the intake of refunds that became due on the forward side (order.cancelled
 * events, and a catch-up pass), the executor that pays PENDING refunds at the payment provider
 * with retries and backoff, and the staff routes that list FAILED refunds and retry them. Needs
 * the app's config, shard persistence, Redis and messaging modules.
 */
@Module({
  imports: [StaffModule, OrderIdsModule],
  controllers: [RefundsController],
  providers: [
    {
      provide: RefundRepository,
      // The outbox wake-up exists where a relay runs in this process; elsewhere rows wait for a poll.
      inject: [ShardDataSources, SHARD_MAP, { token: OutboxSignal, optional: true }],
      useFactory: (sources: ShardDataSources, map: ShardMap, signal?: OutboxSignal) =>
        new RefundRepository(sources, map, signal ? (shard) => signal.notify(shard) : undefined),
    },
    {
      provide: PaymentProviderClient,
      inject: [EOS_CONFIG],
      useFactory: (config: EosConfig) =>
        new PaymentProviderClient({
          url: config.PAYMENT_PROVIDER_URL,
          secret: config.PAYMENT_PROVIDER_SECRET,
          timeoutMs: config.PAYMENT_PROVIDER_TIMEOUT_MS,
        }),
    },
    {
      provide: RefundIntake,
      inject: [RefundRepository, OrderIdGenerator, ShardRouter],
      useFactory: (repository: RefundRepository, ids: OrderIdGenerator, router: ShardRouter) =>
        new RefundIntake(repository, ids, router, systemClock),
    },
    {
      provide: RefundExecutor,
      inject: [RefundRepository, RefundIntake, PaymentProviderClient, ShardRouter, EOS_CONFIG],
      useFactory: (
        repository: RefundRepository,
        intake: RefundIntake,
        provider: PaymentProviderClient,
        router: ShardRouter,
        config: EosConfig,
      ) =>
        new RefundExecutor(repository, intake, provider, router, systemClock, {
          retry: { maxAttempts: config.REFUND_MAX_ATTEMPTS, baseDelayMs: config.REFUND_RETRY_BASE_MS },
          // The last refund of a claimed batch starts its call after the ones before it: the lease
          // covers every round of calls at their timeout, twice over, before anyone claims again.
          leaseMs: Math.ceil(BATCH_SIZE / CALL_PARALLELISM) * config.PAYMENT_PROVIDER_TIMEOUT_MS * 2 + 5000,
          batchSize: BATCH_SIZE,
          shardParallelism: SHARD_PARALLELISM,
          callParallelism: CALL_PARALLELISM,
        }),
    },
    {
      provide: StaffRefunds,
      inject: [RefundRepository, ShardRouter],
      useFactory: (repository: RefundRepository, router: ShardRouter) =>
        new StaffRefunds(repository, router, systemClock),
    },
    RefundWorker,
    RefundIntakeConsumer,
  ],
  exports: [RefundRepository, RefundIntake, RefundExecutor],
})
export class RefundsModule {}
