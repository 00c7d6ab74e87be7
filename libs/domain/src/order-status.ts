/**
 * The forward life of an order, plus the terminal CANCELLED reached from the reverse side. Each
 * kind uses some of these: a delivery order never is FULFILLED, a virtual order is never ACCEPTED,
 * READY, DELIVERING or DELIVERED (see the transition tables in forward-state-machine.ts).
 */
export const OrderStatus = {
  Created: 'CREATED',
  Paid: 'PAID',
  Accepted: 'ACCEPTED',
  Ready: 'READY',
  Delivering: 'DELIVERING',
  Delivered: 'DELIVERED',
  Completed: 'COMPLETED',
  Cancelled: 'CANCELLED',
  /** Virtual orders only: the goods were issued (a voucher, a membership period) after payment. */
  Fulfilled: 'FULFILLED',
} as const;

export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

export const ORDER_STATUSES: readonly OrderStatus[] = Object.values(OrderStatus);

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (ORDER_STATUSES as readonly string[]).includes(value);
}

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set([
  OrderStatus.Completed,
  OrderStatus.Cancelled,
]);
