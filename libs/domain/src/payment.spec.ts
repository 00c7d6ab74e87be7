import fc from 'fast-check';
import { DomainError, DomainErrorCode } from './domain.error';
import { Order, createOrder } from './order';
import { ORDER_STATUSES, OrderStatus } from './order-status';
import { PaymentNotification, PaymentStatus, decidePayment } from './payment';
import { RefundReason } from './refund';

const ORDER: Order = createOrder({
  id: '1001',
  userId: '42',
  cart: {
    merchantId: '7',
    lines: [
      {
        itemId: '1',
        name: 'Noodles',
        unitPriceCents: 1200,
        quantity: 2,
        lineTotalCents: 2400,
        packagingFeeCents: 100,
      },
    ],
    subtotalCents: 2400,
    packagingFeeCents: 100,
    deliveryFeeCents: 500,
    discountCents: 0,
    totalCents: 3000,
    currency: 'CNY',
  },
  address: { line1: '1 Road', city: 'Shanghai', phone: '13800000000' },
  note: null,
  now: new Date('2024-05-01T12:00:00Z'),
  paymentWindowMs: 15 * 60_000,
});

function notification(overrides: Partial<PaymentNotification> = {}): PaymentNotification {
  return {
    notificationId: 'n-1',
    orderId: ORDER.id,
    amountCents: ORDER.totalCents,
    status: PaymentStatus.Succeeded,
    paidAt: new Date('2024-05-01T12:01:00Z'),
    ...overrides,
  };
}

const inStatus = (status: OrderStatus): Order => ({ ...ORDER, status });

describe('decidePayment', () => {
  it('pays an unpaid order with the exact amount', () => {
    expect(decidePayment(ORDER, notification())).toEqual({ kind: 'PAY' });
  });

  it('keeps a payment that lands on a cancelled order for a refund', () => {
    expect(decidePayment(inStatus(OrderStatus.Cancelled), notification())).toEqual({
      kind: 'REFUND',
      reason: RefundReason.PaidAfterCancellation,
    });
  });

  it.each([
    OrderStatus.Paid,
    OrderStatus.Accepted,
    OrderStatus.Ready,
    OrderStatus.Delivering,
    OrderStatus.Delivered,
    OrderStatus.Completed,
  ])('marks a second payment of an order that is %s for refund', (status) => {
    expect(decidePayment(inStatus(status), notification())).toEqual({
      kind: 'REFUND',
      reason: RefundReason.DuplicatePayment,
    });
  });

  it('records a failed attempt without touching the order, whatever its status', () => {
    for (const status of ORDER_STATUSES) {
      expect(decidePayment(inStatus(status), notification({ status: 'FAILED', paidAt: null }))).toEqual({
        kind: 'IGNORE_FAILED',
      });
    }
  });

  it('refuses any amount but the total, in every status and for either outcome', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ORDER_STATUSES),
        fc.constantFrom(PaymentStatus.Succeeded, PaymentStatus.Failed),
        fc.nat({ max: 10_000_000 }).filter((amount) => amount !== ORDER.totalCents),
        (status, outcome, amountCents) => {
          let error: unknown;
          try {
            decidePayment(inStatus(status), notification({ status: outcome, amountCents }));
          } catch (caught) {
            error = caught;
          }
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).code).toBe(DomainErrorCode.PaymentAmountMismatch);
          expect((error as DomainError).details).toEqual({
            orderId: ORDER.id,
            expectedCents: ORDER.totalCents,
            receivedCents: amountCents,
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never loses a successful payment of the right amount: it pays the order or is kept for refund', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ORDER_STATUSES), (status) => {
        const decision = decidePayment(inStatus(status), notification());
        expect(decision.kind === 'PAY').toBe(status === OrderStatus.Created);
        expect(decision.kind === 'REFUND').toBe(status !== OrderStatus.Created);
      }),
    );
  });
});
