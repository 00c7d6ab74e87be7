import { DomainError, DomainErrorCode } from './domain.error';
import { Order } from './order';
import { OrderStatus } from './order-status';
import { RefundReason } from './refund';

export const PaymentStatus = { Succeeded: 'SUCCEEDED', Failed: 'FAILED' } as const;
export type PaymentStatus = (typeof PaymentStatus)[keyof typeof PaymentStatus];

/** One notification of the payment provider about one payment attempt for one order. */
export interface PaymentNotification {
  /** The provider's id of this notification; the same id again is a replay. */
  readonly notificationId: string;
  readonly orderId: string;
  readonly amountCents: number;
  readonly status: PaymentStatus;
  /** When the provider took the money; null for a failed attempt that reports none. */
  readonly paidAt: Date | null;
}

/** What a new (not replayed) notification does to its order. */
export type PaymentDecision =
  /** Apply PAY: the order moves from CREATED to PAID. */
  | { readonly kind: 'PAY' }
  /** A failed attempt: recorded; the order stays as it is, payable until its deadline. */
  | { readonly kind: 'IGNORE_FAILED' }
  /** Money arrived that the order cannot take: recorded and marked for refund, never lost. */
  | { readonly kind: 'REFUND'; readonly reason: RefundReason };

/**
 * Decides what a payment notification does to an order. The amount must match the order's total
 * whatever the status says, so a wrong amount changes nothing. A successful payment pays an
 * unpaid order; one that lands on a cancelled order (it expired first) or on an order another
 * payment already paid is kept for a refund.
 */
export function decidePayment(order: Order, notification: PaymentNotification): PaymentDecision {
  if (notification.amountCents !== order.totalCents) {
    throw new DomainError(
      DomainErrorCode.PaymentAmountMismatch,
      `payment of ${notification.amountCents} cents does not match the order total of ${order.totalCents} cents`,
      { orderId: order.id, expectedCents: order.totalCents, receivedCents: notification.amountCents },
    );
  }
  if (notification.status === PaymentStatus.Failed) return { kind: 'IGNORE_FAILED' };
  switch (order.status) {
    case OrderStatus.Created:
      return { kind: 'PAY' };
    case OrderStatus.Cancelled:
      return { kind: 'REFUND', reason: RefundReason.PaidAfterCancellation };
    case OrderStatus.Paid:
    case OrderStatus.Accepted:
    case OrderStatus.Ready:
    case OrderStatus.Delivering:
    case OrderStatus.Delivered:
    case OrderStatus.Fulfilled:
    case OrderStatus.Completed:
      return { kind: 'REFUND', reason: RefundReason.DuplicatePayment };
  }
}
