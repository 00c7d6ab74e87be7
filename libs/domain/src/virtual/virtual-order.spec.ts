import { ForwardAction } from '../forward-state-machine';
import { applyForwardAction, orderEventPayload } from '../order';
import { eventTypeFor } from '../order-event';
import { priceVirtualCart } from './virtual-catalogue';
import { createVirtualOrder } from './virtual-order';

const NOW = new Date('2024-05-01T07:00:00.000Z');

describe('createVirtualOrder', () => {
  const cart = priceVirtualCart(
    {
      businessLine: 'breakfast',
      currency: 'CNY',
      products: [{ sku: 'set-a', name: 'Set A', unitPriceCents: 650 }],
    },
    '7',
    [{ sku: 'set-a', quantity: 2 }],
  );
  const created = createVirtualOrder({
    id: '3003',
    userId: '42',
    cart,
    details: { pickupDate: '2024-05-02' },
    schemaVersion: 1,
    now: NOW,
    paymentWindowMs: 15 * 60_000,
  });

  it('makes a core order like any other, of kind VIRTUAL: no lines, address or fees of its own', () => {
    expect(created.order).toStrictEqual({
      id: '3003',
      userId: '42',
      merchantId: '7',
      kind: 'VIRTUAL',
      status: 'CREATED',
      items: [],
      subtotalCents: 1300,
      packagingFeeCents: 0,
      deliveryFeeCents: 0,
      discountCents: 0,
      totalCents: 1300,
      currency: 'CNY',
      address: null,
      note: null,
      version: 1,
      createdAt: NOW,
      updatedAt: NOW,
      paymentDeadline: new Date('2024-05-01T07:15:00.000Z'),
    });
  });

  it('keeps the lines, promotions and line data in the extension', () => {
    expect(created.extension).toEqual({
      businessLine: 'breakfast',
      schemaVersion: 1,
      items: cart.lines,
      promotions: [],
      details: { pickupDate: '2024-05-02' },
    });
  });

  it('announces itself and its moves under order.virtual.*', () => {
    expect(eventTypeFor(created.order.kind, created.order.status)).toBe('order.virtual.created');
    const paid = applyForwardAction(created.order, ForwardAction.Pay, NOW).after;
    expect(eventTypeFor(paid.kind, paid.status)).toBe('order.virtual.paid');
    expect(orderEventPayload(paid, 'CREATED')).toMatchObject({ kind: 'VIRTUAL', status: 'PAID', version: 2 });
  });
});
