import { Transition } from './order';
import { OrderStatus } from './order-status';

/** Why money paid for an order is due back to the customer. The reverse flow executes the refund. */
export const RefundReason = {
  /** The merchant refused a paid order. */
  MerchantRejected: 'MERCHANT_REJECTED',
  /** The merchant did not accept a paid order in time; it was rejected automatically. */
  AcceptanceTimeout: 'ACCEPTANCE_TIMEOUT',
  /** A payment arrived for an order that had already been cancelled (for example, expired). */
  PaidAfterCancellation: 'PAID_AFTER_CANCELLATION',
  /** A second, distinct payment arrived for an order that was already paid. */
  DuplicatePayment: 'DUPLICATE_PAYMENT',
  /** The customer cancelled before the merchant accepted. */
  CustomerCancelled: 'CUSTOMER_CANCELLED',
  /** The merchant (or customer service, after escalation) approved the customer's cancellation request. */
  CancellationApproved: 'CANCELLATION_APPROVED',
  /** Customer service cancelled the order. */
  StaffCancelled: 'STAFF_CANCELLED',
  /** The customer gave back a virtual order's unused goods (a voucher not redeemed, a membership period not started). */
  UnusedGoodsReturned: 'UNUSED_GOODS_RETURNED',
} as const;

export type RefundReason = (typeof RefundReason)[keyof typeof RefundReason];

// Statuses in which the customer's money is held for the order.
const PAID_STATUSES: ReadonlySet<OrderStatus> = new Set([
  OrderStatus.Paid,
  OrderStatus.Accepted,
  OrderStatus.Ready,
  OrderStatus.Delivering,
  OrderStatus.Delivered,
  OrderStatus.Fulfilled,
]);

/** A paid order that is cancelled owes its payment back: the refund is due in the same write. */
export function isRefundDue(transition: Transition): boolean {
  return transition.after.status === OrderStatus.Cancelled && PAID_STATUSES.has(transition.before.status);
}
