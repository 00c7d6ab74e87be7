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
};

export function eventTypeForStatus(status: OrderStatus): OrderEventType {
  return EVENT_FOR_STATUS[status];
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
