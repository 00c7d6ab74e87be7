import {
  DomainError,
  DomainErrorCode,
  ForwardAction,
  RefundReason,
  ReverseKind,
  ReverseStatus,
  cancellationPath,
  decideForwardTransition,
  defaultBearer,
  isRefundDue,
  requesterOf,
} from '@eos/domain';
import { ReverseRequestRecord } from '@eos/persistence';
import { Clock, OrderIdGenerator, ShardRouter } from '@eos/sharding';
import { OrderActor } from '../order-actor';
import { transitionWrite } from '../transition-write';
import { ReverseOutcome, ReverseSettings } from './reverse-operation.types';
import { lostUnderLock, orderNotFound } from './reverse-request.state';
import { ReverseStore } from './reverse-store';

/**
 * The customer's cancellation. Before the merchant accepts it is immediate (refunded if paid);
 * after, it becomes a request the merchant decides within CANCELLATION_DECISION_MINUTES, after
 * which customer service does (CancellationEscalation). One transaction on the order's user shard,
 * the order row locked first and its status decided on as locked.
 */
export class CustomerCancellations {
  constructor(
    private readonly store: ReverseStore,
    private readonly ids: OrderIdGenerator,
    private readonly router: ShardRouter,
    private readonly clock: Clock,
    private readonly settings: ReverseSettings,
  ) {}

  /** The customer cancels their own order; anyone else's is ORDER_NOT_FOUND. */
  async request(orderId: string, userId: string, reason: string): Promise<ReverseOutcome> {
    const route = this.router.routeOrder(orderId);
    if (route.shard !== this.router.userShard(userId)) throw orderNotFound(orderId);
    return this.store.transactions.run(route, async (tx) => {
      const subject = await this.store.orders.lock(tx, orderId);
      if (!subject || subject.order.userId !== userId) throw orderNotFound(orderId);
      const { order } = subject;
      const path = cancellationPath(order.status);
      if ((await this.store.requests.lockOpen(tx, orderId, ReverseKind.Cancellation)).length > 0) {
        throw new DomainError(
          DomainErrorCode.ReverseNotAllowed,
          `order ${orderId} already has an open cancellation request`,
        );
      }
      const at = new Date(this.clock.now());
      const requester = requesterOf('customer', userId);
      const base = {
        id: this.ids.next(route.shard),
        orderId,
        userId,
        merchantId: order.merchantId,
        kind: ReverseKind.Cancellation,
        reason,
        amountCents: 0,
        currency: order.currency,
        lines: [],
        requestedBy: requester,
        firstApprover: null,
        version: 1,
        createdAt: at,
        updatedAt: at,
      };

      if (path === 'IMMEDIATE') {
        const transition = decideForwardTransition(order, ForwardAction.Cancel, at, subject);
        const moved = await this.store.orders.applyTransition(
          tx,
          transitionWrite([transition], OrderActor.Customer, at, {
            reason,
            refundReason: RefundReason.CustomerCancelled,
          }),
        );
        if (moved.length !== 1) throw lostUnderLock(`order ${orderId}`);
        // Recorded for the customer's history, closed at once: nobody had to decide.
        const request: ReverseRequestRecord = {
          ...base,
          status: ReverseStatus.Approved,
          decidedBy: requester,
          decisionReason: 'cancelled before the merchant accepted',
          bearer: isRefundDue(transition) ? defaultBearer(RefundReason.CustomerCancelled) : null,
          merchantDeadline: null,
        };
        await this.store.requests.insert(tx, request);
        return { request, order: transition.after };
      }

      const request: ReverseRequestRecord = {
        ...base,
        status: ReverseStatus.AwaitingMerchant,
        decidedBy: null,
        decisionReason: null,
        bearer: null,
        merchantDeadline: new Date(at.getTime() + this.settings.cancellationDecisionMs),
      };
      await this.store.requests.insert(tx, request);
      await this.store.orders.changeTotals(tx, orderId, { refundedCents: 0, openRequests: 1, lines: [] });
      return { request, order };
    });
  }
}
