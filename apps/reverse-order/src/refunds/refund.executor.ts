import { Logger } from '@nestjs/common';
import { AttemptOutcome, RefundRetryPolicy, RefundStatus, afterFailedAttempt } from '@eos/domain';
import { RefundRecord, RefundRepository } from '@eos/persistence';
import { Clock, ShardRoute, ShardRouter, forEachBounded } from '@eos/sharding';
import { PaymentProviderClient, ProviderOutcome } from './payment-provider.client';
import { RefundIntake } from './refund-intake.service';
import { RefundAttemptOutcome, refundAttempts, refundsSettled } from './refund.metrics';

export interface RefundExecutorSettings {
  readonly retry: RefundRetryPolicy;
  /**
   * How long a claim keeps other executors away from a refund. Longer than a provider call can
   * take, so that only a crashed (or badly paused) executor's refunds are claimed again; even then
   * the provider pays at most once, since the refund id is the idempotency key.
   */
  readonly leaseMs: number;
  /** Refunds claimed per shard per pass, and open dues taken per shard per pass. */
  readonly batchSize: number;
  /** Shards worked at once: each holds a connection only for its short statements. */
  readonly shardParallelism: number;
  /** Provider calls in flight at once per shard. */
  readonly callParallelism: number;
}

/** What one pass did. */
export interface RefundPassReport {
  /** Refunds created from open refund dues (catch-up). */
  taken: number;
  succeeded: number;
  /** Failed attempts with another try scheduled. */
  retrying: number;
  /** Refunds that became FAILED. */
  failed: number;
  /** Answers not recorded because the refund had moved on (another executor recorded it first). */
  stale: number;
  /** Shards or refunds whose work hit an error (a database down); they come back on a later pass. */
  errors: number;
}

/**
 * Executes refunds at the payment provider. A pass looks at each user shard with work (one probe
 * per database): it takes the open refund dues (catch-up), claims the PENDING refunds due now,
 * calls the provider for each (bounded concurrency) and records each answer with its event.
 * Any number of executors may run at once: claims skip each other's rows, and a refund claimed
 * twice (a lease outlived) is still paid once, the provider keying on the refund id.
 */
export class RefundExecutor {
  private readonly logger = new Logger('refund-executor');

  constructor(
    private readonly repository: RefundRepository,
    private readonly intake: RefundIntake,
    private readonly provider: PaymentProviderClient,
    private readonly router: ShardRouter,
    private readonly clock: Clock,
    private readonly settings: RefundExecutorSettings,
  ) {}

  /** One pass over every user shard that has work. */
  async runOnce(): Promise<RefundPassReport> {
    const report = emptyReport();
    const byDatabase = this.router.userRoutesByDatabase();
    const busy: ShardRoute[] = [];
    await Promise.all(
      [...byDatabase].map(async ([database, routes]) => {
        try {
          const shards = await this.repository.shardsWithWork(database, routes, this.now());
          busy.push(...shards.map((shard) => this.router.routeUserShard(shard)));
        } catch (error) {
          // One database down must not stop the refunds of the others.
          report.errors += 1;
          this.logger.warn(`cannot look for refunds on ${database}: ${describe(error)}`);
        }
      }),
    );
    await forEachBounded(busy, this.settings.shardParallelism, (route) => this.passShard(route, report));
    return report;
  }

  /** One pass over one user shard, probe or not (tests, and operators who want a shard now). */
  async runShard(shard: number): Promise<RefundPassReport> {
    const report = emptyReport();
    await this.passShard(this.router.routeUserShard(shard), report);
    return report;
  }

  private async passShard(route: ShardRoute, report: RefundPassReport): Promise<void> {
    try {
      report.taken += (await this.intake.catchUp(route, this.settings.batchSize)).length;
    } catch (error) {
      report.errors += 1;
      this.logger.warn(`${route.schema}: refund intake failed: ${describe(error)}`);
    }
    let claimed: RefundRecord[];
    try {
      claimed = await this.repository.claimDue(
        route,
        this.now(),
        this.settings.batchSize,
        this.settings.leaseMs,
      );
    } catch (error) {
      report.errors += 1;
      this.logger.warn(`${route.schema}: cannot claim refunds: ${describe(error)}`);
      return;
    }
    await forEachBounded(claimed, this.settings.callParallelism, (refund) =>
      this.execute(route, refund, report),
    );
  }

  private async execute(route: ShardRoute, refund: RefundRecord, report: RefundPassReport): Promise<void> {
    const answer = await this.provider.refund({
      refundId: refund.id,
      orderId: refund.orderId,
      amountCents: refund.amountCents,
      currency: refund.currency,
    });
    refundAttempts.inc({ outcome: attemptOutcome(answer) });
    try {
      if (answer.kind === 'paid') {
        const recorded = await this.repository.recordSuccess(
          route,
          refund.id,
          answer.providerRefundId,
          this.now(),
        );
        if (!recorded) {
          report.stale += 1;
          return;
        }
        report.succeeded += 1;
        refundsSettled.inc({ status: RefundStatus.Succeeded });
        return;
      }
      const now = this.now();
      const next: AttemptOutcome =
        answer.kind === 'permanent'
          ? { status: RefundStatus.Failed }
          : afterFailedAttempt(refund.attempts + 1, now, this.settings.retry);
      const recorded = await this.repository.recordFailure(
        route,
        refund.id,
        refund.attempts,
        next,
        answer.error,
        now,
      );
      if (!recorded) {
        report.stale += 1;
        return;
      }
      if (next.status === RefundStatus.Failed) {
        report.failed += 1;
        refundsSettled.inc({ status: RefundStatus.Failed });
        this.logger.warn(`refund ${refund.id} of order ${refund.orderId} FAILED: ${answer.error}`);
      } else {
        report.retrying += 1;
      }
    } catch (error) {
      // Not recorded (database trouble): the claim's lease runs out and the refund is tried again;
      // if the provider did pay, the same key brings back the same refund.
      report.errors += 1;
      this.logger.warn(`refund ${refund.id}: cannot record the provider's answer: ${describe(error)}`);
    }
  }

  private now(): Date {
    return new Date(this.clock.now());
  }
}

function attemptOutcome(answer: ProviderOutcome): RefundAttemptOutcome {
  switch (answer.kind) {
    case 'paid':
      return 'succeeded';
    case 'permanent':
      return 'refused';
    case 'retryable':
      return answer.timedOut ? 'timeout' : 'error';
  }
}

function emptyReport(): RefundPassReport {
  return { taken: 0, succeeded: 0, retrying: 0, failed: 0, stale: 0, errors: 0 };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
