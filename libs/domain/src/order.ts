import { ForwardAction, nextForwardStatusFor } from './forward-state-machine';
import { OrderEventPayload } from './order-event';
import { OrderKind } from './order-kind';
import { OrderStatus } from './order-status';
import { PricedCart } from './pricing';

export { ORDER_KINDS, OrderKind, isOrderKind } from './order-kind';

export interface OrderLine {
  readonly itemId: string;
  readonly name: string;
  readonly unitPriceCents: number;
  readonly quantity: number;
  readonly lineTotalCents: number;
}

export interface DeliveryAddress {
  readonly line1: string;
  readonly city: string;
  readonly phone: string;
}

/** The order aggregate. Immutable: every change returns a new value with a grown version. */
export interface Order {
  readonly id: string;
  readonly userId: string;
  readonly merchantId: string;
  readonly kind: OrderKind;
  readonly status: OrderStatus;
  readonly items: readonly OrderLine[];
  readonly subtotalCents: number;
  readonly packagingFeeCents: number;
  readonly deliveryFeeCents: number;
  readonly discountCents: number;
  readonly totalCents: number;
  readonly currency: string;
  /** Where a delivery order goes; null for kinds that deliver nothing (virtual goods). */
  readonly address: DeliveryAddress | null;
  readonly note: string | null;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly paymentDeadline: Date;
}

export interface NewOrder {
  readonly id: string;
  readonly userId: string;
  readonly cart: PricedCart;
  readonly address: DeliveryAddress;
  readonly note: string | null;
  readonly now: Date;
  readonly paymentWindowMs: number;
}

export function createOrder(input: NewOrder): Order {
  const { cart, now } = input;
  return {
    id: input.id,
    userId: input.userId,
    merchantId: cart.merchantId,
    kind: OrderKind.Delivery,
    status: OrderStatus.Created,
    items: cart.lines.map(({ itemId, name, unitPriceCents, quantity, lineTotalCents }) => ({
      itemId,
      name,
      unitPriceCents,
      quantity,
      lineTotalCents,
    })),
    subtotalCents: cart.subtotalCents,
    packagingFeeCents: cart.packagingFeeCents,
    deliveryFeeCents: cart.deliveryFeeCents,
    discountCents: cart.discountCents,
    totalCents: cart.totalCents,
    currency: cart.currency,
    address: input.address,
    note: input.note,
    version: 1,
    createdAt: now,
    updatedAt: now,
    paymentDeadline: new Date(now.getTime() + input.paymentWindowMs),
  };
}

export interface Transition {
  readonly before: Order;
  readonly after: Order;
  readonly action: ForwardAction;
}

/** Applies a forward action; throws ILLEGAL_TRANSITION when the state machine of the order's kind forbids it. */
export function applyForwardAction(order: Order, action: ForwardAction, at: Date): Transition {
  const status = nextForwardStatusFor(order.kind, order.status, action);
  return { before: order, after: { ...order, status, version: order.version + 1, updatedAt: at }, action };
}

export function orderEventPayload(order: Order, previousStatus: OrderStatus | null): OrderEventPayload {
  return {
    orderId: order.id,
    userId: order.userId,
    merchantId: order.merchantId,
    kind: order.kind,
    status: order.status,
    previousStatus,
    totalCents: order.totalCents,
    currency: order.currency,
    version: order.version,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
