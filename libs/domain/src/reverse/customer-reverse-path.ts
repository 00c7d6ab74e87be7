import { DomainError, DomainErrorCode } from '../domain.error';
import { OrderKind } from '../order-kind';
import { OrderStatus } from '../order-status';
import { CancellationPath, assertRefundable, cancellationPath } from './reverse-decision';
import { ReverseKind } from './reverse-request';

/**
 * How a customer's reverse request goes on, whatever the order's kind:
 * - IMMEDIATE: cancelled at once, a paid order refunded in full;
 * - MERCHANT_DECISION: a cancellation request the merchant decides (a delivery order being prepared);
 * - REFUND_REQUEST: a refund request customer service decides (a delivery order under way or delivered);
 * - RETURN_GOODS: a fulfilled virtual order, cancelled and refunded in full at once if its goods
 *   are unused (decideGoodsReturn), refused otherwise.
 */
export type CustomerReversePath = CancellationPath | 'REFUND_REQUEST' | 'RETURN_GOODS';

/** What the reverse path depends on: the order's kind and where it stands. */
export interface ReversibleOrder {
  readonly kind: OrderKind;
  readonly status: OrderStatus;
}

function notAllowed(status: OrderStatus, why: string): DomainError {
  return new DomainError(DomainErrorCode.ReverseNotAllowed, why, { status });
}

function completed(status: OrderStatus): DomainError {
  return new DomainError(
    DomainErrorCode.OrderCompleted,
    'the order is completed: its after-sale window is closed',
    { status },
  );
}

/**
 * The customer's cancellation (`asked` CANCELLATION) or refund request (REFUND) of an order. A
 * delivery order follows cancellationPath / assertRefundable. For virtual goods both mean "give me
 * my money back" for the whole order: see virtualReversePath.
 */
export function customerReversePath(order: ReversibleOrder, asked: ReverseKind): CustomerReversePath {
  switch (order.kind) {
    case OrderKind.Delivery:
      if (asked === ReverseKind.Cancellation) return cancellationPath(order.status);
      assertRefundable(order.status);
      return 'REFUND_REQUEST';
    case OrderKind.Virtual:
      return virtualReversePath(order.status);
    default:
      // A corrupt row's kind reverses nothing rather than borrowing another kind's rules.
      throw notAllowed(order.status, `an order of kind ${String(order.kind)} cannot be reversed`);
  }
}

/**
 * A virtual order: CREATED, PAID -> IMMEDIATE (nothing issued yet); FULFILLED -> RETURN_GOODS;
 * COMPLETED -> ORDER_COMPLETED; CANCELLED (and any status the virtual life never reaches) ->
 * REVERSE_NOT_ALLOWED.
 */
export function virtualReversePath(status: OrderStatus): 'IMMEDIATE' | 'RETURN_GOODS' {
  switch (status) {
    case OrderStatus.Created:
    case OrderStatus.Paid:
      return 'IMMEDIATE';
    case OrderStatus.Fulfilled:
      return 'RETURN_GOODS';
    case OrderStatus.Completed:
      throw completed(status);
    case OrderStatus.Cancelled:
      throw notAllowed(status, 'the order is already cancelled');
    case OrderStatus.Accepted:
    case OrderStatus.Ready:
    case OrderStatus.Delivering:
    case OrderStatus.Delivered:
    default:
      throw notAllowed(status, `a virtual order that is ${String(status)} cannot be reversed`);
  }
}

/**
 * Customer service files refund requests for delivery orders only (assertRefundable). A virtual
 * order's goods are taken back whole, so staff refund one by cancelling it; a completed one is
 * ORDER_COMPLETED as for any order.
 */
export function assertStaffRefundRequest(order: ReversibleOrder): void {
  if (order.kind === OrderKind.Delivery) {
    assertRefundable(order.status);
    return;
  }
  if (order.status === OrderStatus.Completed) throw completed(order.status);
  throw notAllowed(
    order.status,
    'a virtual order is refunded whole: customer service cancels it instead of filing a refund request',
  );
}

/**
 * Refunds per line exist for delivery orders only: a virtual order's goods (a voucher, a membership
 * period) are one thing, refunded whole. Naming items for one is a malformed request.
 */
export function assertRefundScope(kind: OrderKind, itemsNamed: boolean): void {
  if (itemsNamed && kind === OrderKind.Virtual) {
    throw new DomainError(
      DomainErrorCode.ValidationFailed,
      'a virtual order is refunded whole: leave out items',
      { kind },
    );
  }
}
