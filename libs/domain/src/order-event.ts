import { OrderKind } from './order-kind';
import { OrderStatus } from './order-status';

/** Event types broadcast on the order-events exchange; the routing key is the type itself. */
export const OrderEventType = {
  Created: 'order.created',
  Paid: 'order.paid',
  Accepted: 'order.accepted',
  Ready: 'order.ready',
  Delivering: 'order.delivering',
  Delivered: 'order.delivered',
  Completed: 'order.completed',
  Cancelled: 'order.cancelled',
  /**
   * The payment provider paid a refund of the order back. Not a status change: the payload is the
   * order as it stands (same version as its last status event) plus a `refund` object.
   */
  RefundCompleted: 'order.refund.completed',
  /** A refund exhausted its attempts at the provider and waits for customer service (same payload shape). */
  RefundFailed: 'order.refund.failed',
  // Virtual orders: the routing key names the kind, so a consumer binds to one kind's events
  // (`order.virtual.#`); delivery keys stay as they were, and `order.*` still matches only them.
  VirtualCreated: 'order.virtual.created',
  VirtualPaid: 'order.virtual.paid',
  VirtualFulfilled: 'order.virtual.fulfilled',
  VirtualCompleted: 'order.virtual.completed',
  VirtualCancelled: 'order.virtual.cancelled',
} as const;

export type OrderEventType = (typeof OrderEventType)[keyof typeof OrderEventType];

const EVENT_FOR_STATUS: Readonly<Record<OrderStatus, OrderEventType>> = {
  [OrderStatus.Created]: OrderEventType.Created,
  [OrderStatus.Paid]: OrderEventType.Paid,
  [OrderStatus.Accepted]: OrderEventType.Accepted,
  [OrderStatus.Ready]: OrderEventType.Ready,
  [OrderStatus.Delivering]: OrderEventType.Delivering,
  [OrderStatus.Delivered]: OrderEventType.Delivered,
  [OrderStatus.Completed]: OrderEventType.Completed,
  [OrderStatus.Cancelled]: OrderEventType.Cancelled,
  // Only virtual orders are ever fulfilled.
  [OrderStatus.Fulfilled]: OrderEventType.VirtualFulfilled,
};

/** Virtual orders' events; a status their machine never reaches has none. */
const VIRTUAL_EVENT_FOR_STATUS: Readonly<Partial<Record<OrderStatus, OrderEventType>>> = {
  [OrderStatus.Created]: OrderEventType.VirtualCreated,
  [OrderStatus.Paid]: OrderEventType.VirtualPaid,
  [OrderStatus.Fulfilled]: OrderEventType.VirtualFulfilled,
  [OrderStatus.Completed]: OrderEventType.VirtualCompleted,
  [OrderStatus.Cancelled]: OrderEventType.VirtualCancelled,
};

export function eventTypeForStatus(status: OrderStatus): OrderEventType {
  return EVENT_FOR_STATUS[status];
}

/** The event an order of `kind` entering `status` publishes: `order.paid`, `order.virtual.paid`. */
export function eventTypeFor(kind: OrderKind, status: OrderStatus): OrderEventType {
  if (kind === OrderKind.Delivery) return EVENT_FOR_STATUS[status];
  const type = VIRTUAL_EVENT_FOR_STATUS[status];
  // The state machine never lets a virtual order into another status: reaching here is a bug.
  if (type === undefined) throw new Error(`a ${kind} order has no event for status ${status}`);
  return type;
}

/** The payload every order event carries: enough for the merchant dimension to rebuild its row. */
export interface OrderEventPayload {
  readonly orderId: string;
  readonly userId: string;
  readonly merchantId: string;
  readonly kind: string;
  readonly status: OrderStatus;
  readonly previousStatus: OrderStatus | null;
  readonly totalCents: number;
  readonly currency: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}
