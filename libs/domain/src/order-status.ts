/** The forward life of a delivery order, plus the terminal CANCELLED reached from the reverse side. */
export const OrderStatus = {
  Created: 'CREATED',
  Paid: 'PAID',
  Accepted: 'ACCEPTED',
  Ready: 'READY',
  Delivering: 'DELIVERING',
  Delivered: 'DELIVERED',
  Completed: 'COMPLETED',
  Cancelled: 'CANCELLED',
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
