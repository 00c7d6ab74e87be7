import {
  Permission,
  RefundBearer,
  RefundReason,
  ReverseAction,
  ReverseKind,
  assertPermitted,
  decideReverseStep,
  defaultBearer,
} from '@eos/domain';
import { ReverseOrderSubject, ReverseRequestRecord, ShardTransaction } from '@eos/persistence';
import { Clock, OrderIdGenerator, ShardRouter, parseOrderId } from '@eos/sharding';
import { staffActor } from '../order-actor';
import { ReverseOutcome, ReverseSettings, StaffCaller } from './reverse-operation.types';
import { cancelOrderWithin, releaseOf } from './order-cancellation';
import { ReverseStore } from './reverse-store';
import {
  auditSnapshot,
  lostUnderLock,
  orderNotFound,
  payoutOf,
  requestNotFound,
  requestState,
} from './reverse-request.state';

/** The reason a refund created by an approved refund request carries (the executor passes it on). */
export const REFUND_REQUEST_APPROVED = 'REFUND_REQUEST_APPROVED';

export interface StaffApproval {
  readonly reason: string | null;
  /** Who bears the refund; default: the merchant for a refund request, the reason's default for a cancellation. */
  readonly bearer?: RefundBearer;
}

export interface StaffDecisionOutcome extends ReverseOutcome {
  /** The refund an approved refund request created (PENDING, for the executor), if any. */
  readonly refundId: string | null;
}

/**
 * Customer service approves or rejects a reverse request. One transaction: lock the order, then
 * the request (the order first, always, so no two steps wait on each other), decide on what is
 * locked with the domain's reverse state machine (two-person rule included), write the request,
 * its consequence (a PENDING refund, the order's cancellation, or the reservation released) and the
 * audit entry. Concurrent approvals queue on the request's lock and each decides on the fresh row:
 * exactly one executes, the others get ILLEGAL_TRANSITION.
 */
export class StaffDecisions {
  constructor(
    private readonly store: ReverseStore,
    private readonly ids: OrderIdGenerator,
    private readonly router: ShardRouter,
    private readonly clock: Clock,
    private readonly settings: ReverseSettings,
  ) {}

  approve(requestId: string, staff: StaffCaller, approval: StaffApproval): Promise<StaffDecisionOutcome> {
    return this.step(requestId, async (tx, subject, request) => {
      const payout = payoutOf(request, subject);
      // The ceiling is checked on the amount as locked: for a cancellation it is what is still paid.
      assertPermitted(staff.grants, Permission.RefundApprove, payout);
      const step = decideReverseStep(requestState(request, payout), ReverseAction.StaffApprove, {
        staffId: staff.id,
        twoPersonThresholdCents: this.settings.twoPersonThresholdCents,
      });
      const at = new Date(this.clock.now());
      const bearer =
        approval.bearer ??
        (request.kind === ReverseKind.Refund
          ? RefundBearer.Merchant
          : defaultBearer(RefundReason.CancellationApproved));
      const decided = await this.store.requests.update(tx, request.id, request.version, {
        status: step.status,
        firstApprover: step.firstApprover,
        decidedBy: step.closes ? staffActor(staff.id) : request.decidedBy,
        decisionReason: step.closes ? approval.reason : request.decisionReason,
        bearer: step.executes ? bearer : request.bearer,
        at,
      });
      if (!decided) throw lostUnderLock(`reverse request ${request.id}`);
      if (step.closes) {
        await this.store.orders.changeTotals(tx, request.orderId, {
          refundedCents: 0,
          openRequests: -1,
          lines: [],
        });
      }
      let order = subject.order;
      let refundId: string | null = null;
      if (step.executes && request.kind === ReverseKind.Refund) {
        refundId = this.ids.next(tx.route.shard);
        await this.store.refunds.insertPending(tx, {
          id: refundId,
          orderId: request.orderId,
          reverseRequestId: request.id,
          amountCents: request.amountCents,
          currency: request.currency,
          bearer,
          reason: REFUND_REQUEST_APPROVED,
          at,
        });
      }
      await this.audit(tx, 'reverse_request.approve', request, decided, staff, approval.reason, at);
      if (step.executes && request.kind === ReverseKind.Cancellation) {
        const cancelled = await cancelOrderWithin(this.store, tx, subject, {
          actor: staffActor(staff.id),
          reason: approval.reason ?? 'cancellation request approved by customer service',
          refundReason: RefundReason.CancellationApproved,
          bearer,
          closedBy: staffActor(staff.id),
          at,
        });
        order = cancelled.order;
        for (const closed of cancelled.closed) {
          await this.audit(
            tx,
            'reverse_request.reject',
            closed.before,
            closed.after,
            staff,
            approval.reason,
            at,
          );
        }
      }
      return { request: decided, order, refundId };
    });
  }

  reject(requestId: string, staff: StaffCaller, reason: string): Promise<StaffDecisionOutcome> {
    return this.step(requestId, async (tx, subject, request) => {
      const step = decideReverseStep(
        requestState(request, payoutOf(request, subject)),
        ReverseAction.StaffReject,
        { staffId: staff.id, twoPersonThresholdCents: this.settings.twoPersonThresholdCents },
      );
      const at = new Date(this.clock.now());
      const decided = await this.store.requests.update(tx, request.id, request.version, {
        status: step.status,
        firstApprover: step.firstApprover,
        decidedBy: staffActor(staff.id),
        decisionReason: reason,
        bearer: request.bearer,
        at,
      });
      if (!decided) throw lostUnderLock(`reverse request ${request.id}`);
      await this.store.orders.changeTotals(tx, request.orderId, releaseOf(request));
      await this.audit(tx, 'reverse_request.reject', request, decided, staff, reason, at);
      return { request: decided, order: subject.order, refundId: null };
    });
  }

  /** Locks the request's order, then the request, and runs one decision on both in a transaction. */
  private async step(
    requestId: string,
    decide: (
      tx: ShardTransaction,
      subject: ReverseOrderSubject,
      request: ReverseRequestRecord,
    ) => Promise<StaffDecisionOutcome>,
  ): Promise<StaffDecisionOutcome> {
    // A request id is issued like an order id, on its order's shard: it routes the same way.
    parseOrderId(requestId);
    const route = this.router.routeOrder(requestId);
    const seen = await this.store.requests.find(route, requestId);
    if (!seen) throw requestNotFound(requestId);
    return this.store.transactions.run(route, async (tx) => {
      const subject = await this.store.orders.lock(tx, seen.orderId);
      if (!subject) throw orderNotFound(seen.orderId);
      const request = await this.store.requests.lock(tx, requestId);
      if (!request) throw requestNotFound(requestId);
      return decide(tx, subject, request);
    });
  }

  private audit(
    tx: ShardTransaction,
    action: string,
    before: ReverseRequestRecord,
    after: ReverseRequestRecord,
    staff: StaffCaller,
    reason: string | null,
    at: Date,
  ): Promise<void> {
    return this.store.audit.append(tx, {
      orderId: before.orderId,
      staffId: staff.id,
      action,
      target: `reverse_request:${before.id}`,
      before: auditSnapshot(before),
      after: auditSnapshot(after),
      reason,
      at,
    });
  }
}
