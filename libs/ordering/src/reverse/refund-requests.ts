import {
  DomainError,
  DomainErrorCode,
  RefundLineRequest,
  ReverseKind,
  ReverseStatus,
  assertRefundScope,
  assertStaffRefundRequest,
  customerReversePath,
  priceRefund,
  requesterOf,
} from '@eos/domain';
import { ReverseOrderSubject, ReverseRequestRecord, ShardTransaction } from '@eos/persistence';
import { Clock, OrderIdGenerator, ShardRouter } from '@eos/sharding';
import { ImmediateCancellation } from './immediate-cancellation';
import { ReverseOutcome, StaffCaller } from './reverse-operation.types';
import { ReverseStore } from './reverse-store';
import { auditSnapshot, orderNotFound } from './reverse-request.state';

/** Units of one item of the order to refund. */
export interface RefundItem {
  readonly itemId: string;
  readonly quantity: number;
}

/** Who files a refund request: the customer for their own order, or staff on the customer's behalf. */
type Requester = { readonly customerId: string } | { readonly staff: StaffCaller };

/**
 * Refund requests, whole order or per line, at frozen prices. Filing one reserves its money and
 * units on the order at once (orders.refunded_cents, order_items.refunded_quantity, under the
 * order's row lock and the database's CHECKs), so concurrent requests can never promise back more
 * than was paid; a rejection releases the reservation, an approval turns it into a refund.
 * A customer's refund of a virtual order is no request: its goods are refunded whole at once if
 * unused (ImmediateCancellation), as its cancellation is; staff cancel a virtual order instead.
 */
export class RefundRequests {
  constructor(
    private readonly store: ReverseStore,
    private readonly atOnce: ImmediateCancellation,
    private readonly ids: OrderIdGenerator,
    private readonly router: ShardRouter,
    private readonly clock: Clock,
  ) {}

  /** The customer asks for money back on their own order; anyone else's is ORDER_NOT_FOUND. */
  async requestByCustomer(
    orderId: string,
    userId: string,
    items: readonly RefundItem[] | undefined,
    reason: string,
  ): Promise<ReverseOutcome> {
    const route = this.router.routeOrder(orderId);
    if (route.shard !== this.router.userShard(userId)) throw orderNotFound(orderId);
    return this.file(orderId, { customerId: userId }, items, reason);
  }

  /** Customer service files a request for the customer: the maker of the two-person rule. */
  requestByStaff(
    orderId: string,
    staff: StaffCaller,
    items: readonly RefundItem[] | undefined,
    reason: string,
  ): Promise<ReverseOutcome> {
    return this.file(orderId, { staff }, items, reason);
  }

  private file(
    orderId: string,
    requester: Requester,
    items: readonly RefundItem[] | undefined,
    reason: string,
  ): Promise<ReverseOutcome> {
    const route = this.router.routeOrder(orderId);
    return this.store.transactions.run(route, async (tx) => {
      const subject = await this.store.orders.lock(tx, orderId);
      if (!subject || ('customerId' in requester && subject.order.userId !== requester.customerId)) {
        throw orderNotFound(orderId);
      }
      const { order } = subject;
      assertRefundScope(order.kind, items !== undefined);
      if ('customerId' in requester) {
        const path = customerReversePath(order, ReverseKind.Refund);
        switch (path) {
          case 'IMMEDIATE':
          case 'RETURN_GOODS':
            return this.atOnce.within(tx, subject, {
              asked: ReverseKind.Refund,
              path,
              reason,
              at: new Date(this.clock.now()),
            });
          case 'REFUND_REQUEST':
            break;
          case 'MERCHANT_DECISION':
            // customerReversePath never sends a refund to the merchant.
            throw new Error(`a refund of order ${orderId} cannot await the merchant`);
        }
      } else {
        assertStaffRefundRequest(order);
      }
      // Priced on what the order's lines cost: money paid twice is not line money, and is returned
      // by the duplicate-payment refund, not by a refund request.
      const priced = priceRefund(order.totalCents, subject.lines, items && linesOf(subject, items));
      await this.store.orders.changeTotals(tx, orderId, {
        refundedCents: priced.amountCents,
        openRequests: 1,
        lines: priced.lines.map((line) => ({ lineNo: line.lineNo, quantity: line.quantity })),
      });
      const at = new Date(this.clock.now());
      const request: ReverseRequestRecord = {
        id: this.ids.next(route.shard),
        orderId,
        userId: order.userId,
        merchantId: order.merchantId,
        kind: ReverseKind.Refund,
        status: ReverseStatus.AwaitingStaff,
        reason,
        amountCents: priced.amountCents,
        currency: order.currency,
        lines: priced.lines.map((line) => ({ ...line })),
        requestedBy:
          'customerId' in requester
            ? requesterOf('customer', requester.customerId)
            : requesterOf('staff', requester.staff.id),
        firstApprover: null,
        decidedBy: null,
        decisionReason: null,
        bearer: null,
        merchantDeadline: null,
        version: 1,
        createdAt: at,
        updatedAt: at,
      };
      await this.store.requests.insert(tx, request);
      if ('staff' in requester) await this.audit(tx, request, requester.staff, at);
      return { request, order };
    });
  }

  private audit(tx: ShardTransaction, request: ReverseRequestRecord, staff: StaffCaller, at: Date) {
    return this.store.audit.append(tx, {
      orderId: request.orderId,
      staffId: staff.id,
      action: 'refund_request.create',
      target: `reverse_request:${request.id}`,
      before: null,
      after: auditSnapshot(request),
      reason: request.reason,
      at,
    });
  }
}

/**
 * The order lines the items name. An item the order does not hold is ITEM_NOT_FOUND; an item named
 * twice is DUPLICATE_ITEM (checkout keeps one line per item, so an item id names one line).
 */
function linesOf(subject: ReverseOrderSubject, items: readonly RefundItem[]): RefundLineRequest[] {
  const seen = new Set<string>();
  return items.map((item) => {
    if (seen.has(item.itemId)) {
      throw new DomainError(DomainErrorCode.DuplicateItem, `item ${item.itemId} is named twice`, {
        itemId: item.itemId,
      });
    }
    seen.add(item.itemId);
    const line = subject.lines.find((candidate) => candidate.itemId === item.itemId);
    if (!line) {
      throw new DomainError(
        DomainErrorCode.ItemNotFound,
        `order ${subject.order.id} has no item ${item.itemId}`,
        { itemId: item.itemId },
      );
    }
    return { lineNo: line.lineNo, quantity: item.quantity };
  });
}
