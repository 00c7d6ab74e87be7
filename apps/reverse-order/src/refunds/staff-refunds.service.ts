import { DomainError, DomainErrorCode, assertRetryable } from '@eos/domain';
import { RefundRecord, RefundRepository } from '@eos/persistence';
import { Clock, ShardRoute, ShardRouter } from '@eos/sharding';
import { refundStaffRetries } from './refund.metrics';

/** Customer service's hold on refund execution: see the failures, send one back to the provider. */
export class StaffRefunds {
  constructor(
    private readonly repository: RefundRepository,
    private readonly router: ShardRouter,
    private readonly clock: Clock,
  ) {}

  /**
   * FAILED -> PENDING with a fresh budget of attempts, due now, audited with the staff member and
   * reason. REFUND_NOT_FOUND for an unknown refund; ILLEGAL_TRANSITION unless it is FAILED (also
   * when another retry got there first).
   */
  async retry(refundId: string, staffId: string, reason: string): Promise<RefundRecord> {
    const route = this.routeOf(refundId);
    const refund = await this.repository.find(route, refundId);
    if (!refund) throw notFound(refundId);
    assertRetryable(refund.status);
    const retried = await this.repository.retry(
      route,
      refundId,
      { staffId, reason },
      new Date(this.clock.now()),
    );
    if (!retried) {
      // It moved between our read and our write: decide again on what it is now.
      const now = await this.repository.find(route, refundId);
      if (!now) throw notFound(refundId);
      assertRetryable(now.status);
      throw new DomainError(DomainErrorCode.IllegalTransition, `refund ${refundId} changed; try again`);
    }
    refundStaffRetries.inc();
    return retried;
  }

  /** FAILED refunds over every shard, most recently failed first. */
  listFailed(limit: number): Promise<RefundRecord[]> {
    return this.repository.listFailed(limit);
  }

  private routeOf(refundId: string): ShardRoute {
    try {
      // Refund ids carry their order's shard gene.
      return this.router.routeOrder(refundId);
    } catch {
      throw notFound(refundId);
    }
  }
}

function notFound(refundId: string): DomainError {
  return new DomainError(DomainErrorCode.RefundNotFound, `refund ${refundId} not found`);
}
