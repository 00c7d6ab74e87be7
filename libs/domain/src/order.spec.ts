import { DomainError, DomainErrorCode } from './domain.error';
import { ForwardAction, forwardStatusesOf } from './forward-state-machine';
import { Menu } from './menu';
import {
  NewOrder,
  ORDER_KINDS,
  Order,
  OrderKind,
  applyForwardAction,
  createOrder,
  orderEventPayload,
} from './order';
import { OrderEventPayload, OrderEventType, eventTypeFor, eventTypeForStatus } from './order-event';
import { ORDER_STATUSES, OrderStatus } from './order-status';
import { PricedCart, priceCart } from './pricing';

const NOW = new Date('2024-05-01T12:00:00.000Z');
const FIFTEEN_MINUTES = 15 * 60_000;

const CART: PricedCart = {
  merchantId: 'm-7',
  lines: [
    {
      itemId: '1',
      name: 'Beef noodles',
      unitPriceCents: 1200,
      quantity: 2,
      lineTotalCents: 2400,
      packagingFeeCents: 200,
    },
    { itemId: '3', name: 'Tea', unitPriceCents: 300, quantity: 1, lineTotalCents: 300, packagingFeeCents: 0 },
  ],
  subtotalCents: 2700,
  packagingFeeCents: 200,
  deliveryFeeCents: 500,
  discountCents: 300,
  totalCents: 3100,
  currency: 'CNY',
};

function newOrderInput(overrides: Partial<NewOrder> = {}): NewOrder {
  return {
    id: '1001',
    userId: '42',
    cart: CART,
    address: { line1: '1 Long Street', city: 'Shanghai', phone: '13800000000' },
    note: 'no coriander',
    now: NOW,
    paymentWindowMs: FIFTEEN_MINUTES,
    ...overrides,
  };
}

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error: unknown) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

describe('createOrder', () => {
  it('starts a delivery order at version 1, CREATED and unpaid', () => {
    const order = createOrder(newOrderInput());
    expect(order).toStrictEqual<Order>({
      id: '1001',
      userId: '42',
      merchantId: 'm-7',
      kind: OrderKind.Delivery,
      status: OrderStatus.Created,
      items: [
        { itemId: '1', name: 'Beef noodles', unitPriceCents: 1200, quantity: 2, lineTotalCents: 2400 },
        { itemId: '3', name: 'Tea', unitPriceCents: 300, quantity: 1, lineTotalCents: 300 },
      ],
      subtotalCents: 2700,
      packagingFeeCents: 200,
      deliveryFeeCents: 500,
      discountCents: 300,
      totalCents: 3100,
      currency: 'CNY',
      address: { line1: '1 Long Street', city: 'Shanghai', phone: '13800000000' },
      note: 'no coriander',
      version: 1,
      createdAt: NOW,
      updatedAt: NOW,
      paymentDeadline: new Date('2024-05-01T12:15:00.000Z'),
    });
  });

  it('sets the payment deadline to now plus the payment window', () => {
    for (const windowMs of [0, 1, 60_000, FIFTEEN_MINUTES, 24 * 3_600_000]) {
      const order = createOrder(newOrderInput({ paymentWindowMs: windowMs }));
      expect(order.paymentDeadline.getTime()).toBe(NOW.getTime() + windowMs);
    }
  });

  it('copies the lines into new objects that carry only the order line fields', () => {
    const order = createOrder(newOrderInput());
    expect(order.items).not.toBe(CART.lines);
    order.items.forEach((line, index) => {
      expect(line).not.toBe(CART.lines[index]);
      expect(Object.keys(line).sort()).toEqual([
        'itemId',
        'lineTotalCents',
        'name',
        'quantity',
        'unitPriceCents',
      ]);
    });
    expect(order.items).toHaveLength(CART.lines.length);
  });

  it('keeps a missing note as null', () => {
    expect(createOrder(newOrderInput({ note: null })).note).toBeNull();
  });

  it('leaves the cart untouched', () => {
    const cart = structuredClone(CART);
    createOrder(newOrderInput({ cart }));
    expect(cart).toEqual(CART);
  });

  it('builds an order from a cart priced by the catalog', () => {
    const menu: Menu = {
      merchant: {
        id: 'm-9',
        name: 'Dumpling Bar',
        opensAtMinute: 0,
        closesAtMinute: 24 * 60,
        deliveryFeeCents: 400,
        discountRule: { thresholdCents: 2000, discountCents: 250 },
        currency: 'CNY',
      },
      items: [{ id: 'd', name: 'Dumplings', priceCents: 800, packagingFeeCents: 50, available: true }],
      version: 3,
    };
    const cart = priceCart(menu, [{ itemId: 'd', quantity: 3 }], NOW);
    const order = createOrder(newOrderInput({ cart }));
    expect(order).toMatchObject({
      merchantId: 'm-9',
      items: [{ itemId: 'd', name: 'Dumplings', unitPriceCents: 800, quantity: 3, lineTotalCents: 2400 }],
      subtotalCents: 2400,
      packagingFeeCents: 150,
      deliveryFeeCents: 400,
      discountCents: 250,
      totalCents: 2700,
    });
  });
});

describe('applyForwardAction', () => {
  const later = new Date('2024-05-01T12:03:00.000Z');

  it('returns a new order one version up in the target status, leaving the old one as it was', () => {
    const order = createOrder(newOrderInput());
    const transition = applyForwardAction(order, ForwardAction.Pay, later);
    expect(transition.before).toBe(order);
    expect(transition.action).toBe(ForwardAction.Pay);
    expect(transition.after).not.toBe(order);
    expect(transition.after).toStrictEqual({
      ...order,
      status: OrderStatus.Paid,
      version: 2,
      updatedAt: later,
    });
    expect(order.status).toBe(OrderStatus.Created);
    expect(order.version).toBe(1);
    expect(order.updatedAt).toEqual(NOW);
  });

  it('keeps creation time and payment deadline across transitions', () => {
    const paid = applyForwardAction(createOrder(newOrderInput()), ForwardAction.Pay, later).after;
    const accepted = applyForwardAction(paid, ForwardAction.Accept, new Date('2024-05-01T12:05:00Z')).after;
    expect(accepted.version).toBe(3);
    expect(accepted.createdAt).toEqual(NOW);
    expect(accepted.paymentDeadline).toEqual(new Date('2024-05-01T12:15:00.000Z'));
  });

  it('refuses an illegal action with ILLEGAL_TRANSITION', () => {
    const order = createOrder(newOrderInput());
    const error = refusal(() => applyForwardAction(order, ForwardAction.Deliver, later));
    expect(error.code).toBe(DomainErrorCode.IllegalTransition);
    expect(error.details).toEqual({ from: OrderStatus.Created, action: ForwardAction.Deliver });
    expect(order.version).toBe(1);
    expect(order.status).toBe(OrderStatus.Created);
  });
});

describe('orderEventPayload', () => {
  it('carries every field the merchant dimension needs, times as ISO-8601 UTC', () => {
    const order = createOrder(newOrderInput());
    expect(orderEventPayload(order, null)).toStrictEqual<OrderEventPayload>({
      orderId: '1001',
      userId: '42',
      merchantId: 'm-7',
      kind: 'DELIVERY',
      status: OrderStatus.Created,
      previousStatus: null,
      totalCents: 3100,
      currency: 'CNY',
      version: 1,
      createdAt: '2024-05-01T12:00:00.000Z',
      updatedAt: '2024-05-01T12:00:00.000Z',
    });
  });

  it('describes a transition: the new status, the previous one, the new version and time', () => {
    const { before, after } = applyForwardAction(
      createOrder(newOrderInput()),
      ForwardAction.Cancel,
      new Date('2024-05-01T12:01:30.250Z'),
    );
    const payload = orderEventPayload(after, before.status);
    expect(payload).toMatchObject({
      status: OrderStatus.Cancelled,
      previousStatus: OrderStatus.Created,
      version: 2,
      createdAt: '2024-05-01T12:00:00.000Z',
      updatedAt: '2024-05-01T12:01:30.250Z',
    });
    expect(eventTypeForStatus(payload.status)).toBe(OrderEventType.Cancelled);
  });

  it('is plain JSON: it survives a round trip unchanged', () => {
    const payload = orderEventPayload(createOrder(newOrderInput()), null);
    expect(JSON.parse(JSON.stringify(payload))).toEqual(payload);
  });
});

describe('eventTypeForStatus', () => {
  const deliveryStatuses = forwardStatusesOf(OrderKind.Delivery);

  it.each(deliveryStatuses.map((status) => [status]))('maps %s to order.<status>', (status) => {
    expect(eventTypeForStatus(status)).toBe(`order.${status.toLowerCase()}`);
    expect(eventTypeFor(OrderKind.Delivery, status)).toBe(eventTypeForStatus(status));
  });

  it('gives every delivery status its own event type', () => {
    const types = deliveryStatuses.map(eventTypeForStatus);
    expect(new Set(types).size).toBe(deliveryStatuses.length);
  });
});

describe('eventTypeFor', () => {
  const virtualStatuses = forwardStatusesOf(OrderKind.Virtual);

  it.each(virtualStatuses.map((status) => [status]))(
    'names the kind in the routing key of a virtual order entering %s: order.virtual.<status>',
    (status) => {
      expect(eventTypeFor(OrderKind.Virtual, status)).toBe(`order.virtual.${status.toLowerCase()}`);
    },
  );

  it('has no event for a status a virtual order never reaches: reaching one is a bug, not a refusal', () => {
    for (const status of ORDER_STATUSES.filter((candidate) => !virtualStatuses.includes(candidate))) {
      expect(() => eventTypeFor(OrderKind.Virtual, status)).toThrow(`has no event for status ${status}`);
    }
  });

  it('uses every status event type of the catalogue, and no two kinds share one', () => {
    const statusTypes = ORDER_KINDS.flatMap((kind) =>
      forwardStatusesOf(kind).map((status) => eventTypeFor(kind, status)),
    );
    expect(new Set(statusTypes).size).toBe(statusTypes.length);
    const notStatusEvents = Object.values(OrderEventType).filter((type) => type.startsWith('order.refund.'));
    expect([...statusTypes, ...notStatusEvents].sort()).toEqual(Object.values(OrderEventType).sort());
  });
});
