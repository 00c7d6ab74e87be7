import {
  DomainError,
  DomainErrorCode,
  ReverseKind,
  ReverseStatus,
  customerReversePath,
  requesterOf,
} from '@eos/domain';
import { ReverseRequestRecord } from '@eos/persistence';
import { Clock, OrderIdGenerator, ShardRouter } from '@eos/sharding';
import { ImmediateCancellation } from './immediate-cancellation';
import { ReverseOutcome, ReverseSettings } from './reverse-operation.types';
import { orderNotFound } from './reverse-request.state';
import { ReverseStore } from './reverse-store';

/**
 * The customer's cancellation. Before the merchant accepts it is immediate (refunded if paid);
 * after, it becomes a request the merchant decides within CANCELLATION_DECISION_MINUTES, after
 * which customer service does (CancellationEscalation). A virtual order is cancelled at once, its
 * goods taken back if they were issued and unused. One transaction on the order's user shard, the
 * order row locked first and its status decided on as locked.
 */
export class CustomerCancellations {
  constructor(
    private readonly store: ReverseStore,
    private readonly atOnce: ImmediateCancellation,
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
      const path = customerReversePath(order, ReverseKind.Cancellation);
      if ((await this.store.requests.lockOpen(tx, orderId, ReverseKind.Cancellation)).length > 0) {
        throw new DomainError(
          DomainErrorCode.ReverseNotAllowed,
          `order ${orderId} already has an open cancellation request`,
        );
      }
      const at = new Date(this.clock.now());
      switch (path) {
        case 'IMMEDIATE':
        case 'RETURN_GOODS':
          return this.atOnce.within(tx, subject, { asked: ReverseKind.Cancellation, path, reason, at });
        case 'MERCHANT_DECISION': {
          const request: ReverseRequestRecord = {
            id: this.ids.next(route.shard),
            orderId,
            userId,
            merchantId: order.merchantId,
            kind: ReverseKind.Cancellation,
            status: ReverseStatus.AwaitingMerchant,
            reason,
            amountCents: 0,
            currency: order.currency,
            lines: [],
            requestedBy: requesterOf('customer', userId),
            firstApprover: null,
            decidedBy: null,
            decisionReason: null,
            bearer: null,
            merchantDeadline: new Date(at.getTime() + this.settings.cancellationDecisionMs),
            version: 1,
            createdAt: at,
            updatedAt: at,
          };
          await this.store.requests.insert(tx, request);
          await this.store.orders.changeTotals(tx, orderId, { refundedCents: 0, openRequests: 1, lines: [] });
          return { request, order };
        }
        case 'REFUND_REQUEST':
          // customerReversePath never answers a cancellation with a refund request.
          throw new Error(`a cancellation of order ${orderId} cannot become a refund request`);
      }
    });
  }
}
