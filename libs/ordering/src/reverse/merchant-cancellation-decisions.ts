import {
  DomainError,
  DomainErrorCode,
  RefundReason,
  ReverseAction,
  ReverseKind,
  decideReverseStep,
  defaultBearer,
} from '@eos/domain';
import { Clock, ShardRouter } from '@eos/sharding';
import { OrderActor } from '../order-actor';
import { MerchantScope } from '../order-transitions';
import { cancelOrderWithin } from './order-cancellation';
import { ReverseOutcome } from './reverse-operation.types';
import { lostUnderLock, orderNotFound, payoutOf, requestState } from './reverse-request.state';
import { ReverseStore } from './reverse-store';

export type MerchantCancellationDecision = 'APPROVE' | 'REFUSE';

/**
 * The merchant's decision on a customer's cancellation request (osc-blink's DecideCancellation).
 * Approving cancels the order and marks its payment for refund, borne by the merchant, in the
 * same transaction that closes the request; refusing closes the request. Only a request still
 * awaiting the merchant can be decided: once escalated, customer service decides.
 */
export class MerchantCancellationDecisions {
  constructor(
    private readonly store: ReverseStore,
    private readonly router: ShardRouter,
    private readonly clock: Clock,
  ) {}

  /** With a scope, another merchant's order is FORBIDDEN, as for the merchant's other commands. */
  async decide(
    orderId: string,
    decision: MerchantCancellationDecision,
    reason: string | null,
    scope: MerchantScope = {},
  ): Promise<ReverseOutcome> {
    const route = this.router.routeOrder(orderId);
    return this.store.transactions.run(route, async (tx) => {
      const subject = await this.store.orders.lock(tx, orderId);
      if (!subject) throw orderNotFound(orderId);
      const { order } = subject;
      if (scope.merchantId !== undefined && order.merchantId !== scope.merchantId) {
        throw new DomainError(DomainErrorCode.Forbidden, `order ${orderId} belongs to another merchant`);
      }
      const [request] = await this.store.requests.lockOpen(tx, orderId, ReverseKind.Cancellation);
      if (!request) {
        throw new DomainError(
          DomainErrorCode.IllegalTransition,
          `order ${orderId} has no open cancellation request`,
          { from: order.status },
        );
      }
      const action = decision === 'APPROVE' ? ReverseAction.MerchantApprove : ReverseAction.MerchantRefuse;
      // The merchant's steps know no two-person rule: the threshold is for staff approvals.
      const step = decideReverseStep(requestState(request, payoutOf(request, subject)), action, {
        twoPersonThresholdCents: Number.MAX_SAFE_INTEGER,
      });
      const at = new Date(this.clock.now());
      const decidedBy = `merchant:${order.merchantId}`;
      const bearer = step.executes ? defaultBearer(RefundReason.CancellationApproved) : request.bearer;
      const decided = await this.store.requests.update(tx, request.id, request.version, {
        status: step.status,
        firstApprover: step.firstApprover,
        decidedBy,
        decisionReason: reason,
        bearer,
        at,
      });
      if (!decided) throw lostUnderLock(`reverse request ${request.id}`);
      if (step.closes) {
        await this.store.orders.changeTotals(tx, orderId, { refundedCents: 0, openRequests: -1, lines: [] });
      }
      if (!step.executes) return { request: decided, order };
      const cancelled = await cancelOrderWithin(this.store, tx, subject, {
        actor: OrderActor.Merchant,
        reason: reason ?? 'cancellation request approved by the merchant',
        refundReason: RefundReason.CancellationApproved,
        bearer,
        closedBy: decidedBy,
        at,
      });
      return { request: decided, order: cancelled.order };
    });
  }
}
