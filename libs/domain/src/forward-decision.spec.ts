import fc from 'fast-check';
import { DomainError, DomainErrorCode } from './domain.error';
import { decideForwardTransition } from './forward-decision';
import { ForwardAction, forwardTarget, forwardTargetFor } from './forward-state-machine';
import { Order, OrderKind, applyForwardAction, createOrder } from './order';
import { ORDER_STATUSES, OrderStatus } from './order-status';
import { isRefundDue } from './refund';
import { priceVirtualCart } from './virtual/virtual-catalogue';
import { createVirtualOrder } from './virtual/virtual-order';

const ORDER: Order = createOrder({
  id: '1001',
  userId: '42',
  cart: {
    merchantId: '7',
    lines: [
      {
        itemId: '1',
        name: 'Tea',
        unitPriceCents: 300,
        quantity: 1,
        lineTotalCents: 300,
        packagingFeeCents: 0,
      },
    ],
    subtotalCents: 300,
    packagingFeeCents: 0,
    deliveryFeeCents: 0,
    discountCents: 0,
    totalCents: 300,
    currency: 'CNY',
  },
  address: { line1: '1 Road', city: 'Shanghai', phone: '13800000000' },
  note: null,
  now: new Date('2024-05-01T12:00:00Z'),
  paymentWindowMs: 60_000,
});
const AT = new Date('2024-05-01T12:05:00Z');
const ACTIONS = Object.values(ForwardAction);

describe('decideForwardTransition', () => {
  it('agrees with the state machine whenever no reverse request is open', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ORDER_STATUSES), fc.constantFrom(...ACTIONS), (status, action) => {
        const order = { ...ORDER, status };
        const legal = forwardTarget(status, action) !== undefined;
        if (legal) {
          expect(decideForwardTransition(order, action, AT, { openReverseRequests: 0 })).toEqual(
            applyForwardAction(order, action, AT),
          );
        } else {
          expect(() => decideForwardTransition(order, action, AT, { openReverseRequests: 0 })).toThrow(
            DomainError,
          );
        }
      }),
    );
  });

  it('does not complete a delivered order while a reverse request is open', () => {
    const delivered = { ...ORDER, status: OrderStatus.Delivered };
    let error: unknown;
    try {
      decideForwardTransition(delivered, ForwardAction.Complete, AT, { openReverseRequests: 1 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(DomainErrorCode.IllegalTransition);
    expect((error as DomainError).details).toEqual({
      from: 'DELIVERED',
      action: 'COMPLETE',
      openReverseRequests: 1,
    });
  });

  it('lets every other legal action through while a reverse request is open', () => {
    for (const status of ORDER_STATUSES) {
      for (const action of ACTIONS.filter((candidate) => candidate !== ForwardAction.Complete)) {
        if (forwardTarget(status, action) === undefined) continue;
        const order = { ...ORDER, status };
        expect(decideForwardTransition(order, action, AT, { openReverseRequests: 2 }).after.status).toBe(
          forwardTarget(status, action),
        );
      }
    }
  });
});

describe('decideForwardTransition on a virtual order', () => {
  const VIRTUAL: Order = createVirtualOrder({
    id: '2002',
    userId: '42',
    cart: priceVirtualCart(
      {
        businessLine: 'membership',
        currency: 'CNY',
        products: [{ sku: 'monthly', name: 'Monthly', unitPriceCents: 1500, periodDays: 30 }],
      },
      '7',
      [{ sku: 'monthly', quantity: 1 }],
    ),
    details: {},
    schemaVersion: 1,
    now: new Date('2024-05-01T12:00:00Z'),
    paymentWindowMs: 60_000,
  }).order;

  it('follows the virtual machine, not the delivery one', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ORDER_STATUSES), fc.constantFrom(...ACTIONS), (status, action) => {
        const order = { ...VIRTUAL, status };
        const target = forwardTargetFor(OrderKind.Virtual, status, action);
        if (target === undefined) {
          expect(() => decideForwardTransition(order, action, AT, { openReverseRequests: 0 })).toThrow(
            DomainError,
          );
        } else {
          expect(decideForwardTransition(order, action, AT, { openReverseRequests: 0 }).after.status).toBe(
            target,
          );
        }
      }),
    );
  });

  it('does not complete a fulfilled virtual order while a reverse request is open', () => {
    const fulfilled = { ...VIRTUAL, status: OrderStatus.Fulfilled };
    expect(() =>
      decideForwardTransition(fulfilled, ForwardAction.Complete, AT, { openReverseRequests: 1 }),
    ).toThrow('while a reverse request is open');
    expect(
      decideForwardTransition(fulfilled, ForwardAction.Complete, AT, { openReverseRequests: 0 }).after.status,
    ).toBe(OrderStatus.Completed);
  });

  it('owes the payment back when a paid or fulfilled virtual order is cancelled', () => {
    for (const status of [OrderStatus.Paid, OrderStatus.Fulfilled]) {
      expect(isRefundDue(applyForwardAction({ ...VIRTUAL, status }, ForwardAction.Cancel, AT))).toBe(true);
    }
    expect(isRefundDue(applyForwardAction(VIRTUAL, ForwardAction.Expire, AT))).toBe(false);
  });
});

describe('isRefundDue', () => {
  it('is due exactly when a transition cancels an order that was paid', () => {
    const paidBefore = new Set<OrderStatus>([OrderStatus.Paid, OrderStatus.Accepted, OrderStatus.Ready]);
    for (const status of ORDER_STATUSES) {
      for (const action of ACTIONS) {
        if (forwardTarget(status, action) === undefined) continue;
        const transition = applyForwardAction({ ...ORDER, status }, action, AT);
        expect(isRefundDue(transition)).toBe(
          transition.after.status === OrderStatus.Cancelled && paidBefore.has(status),
        );
      }
    }
  });

  it('is due for a merchant rejection and never for an expiry', () => {
    expect(
      isRefundDue(applyForwardAction({ ...ORDER, status: OrderStatus.Paid }, ForwardAction.Reject, AT)),
    ).toBe(true);
    expect(isRefundDue(applyForwardAction(ORDER, ForwardAction.Expire, AT))).toBe(false);
  });
});
