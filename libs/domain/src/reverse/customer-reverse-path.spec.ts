import { DomainError, DomainErrorCode } from '../domain.error';
import { OrderKind } from '../order-kind';
import { ORDER_STATUSES, OrderStatus } from '../order-status';
import {
  assertRefundScope,
  assertStaffRefundRequest,
  customerReversePath,
  virtualReversePath,
} from './customer-reverse-path';
import { assertRefundable, cancellationPath } from './reverse-decision';
import { ReverseKind } from './reverse-request';

function outcome(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (error: unknown) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe('customerReversePath', () => {
  describe('a delivery order', () => {
    it.each(ORDER_STATUSES)('%s: a cancellation follows cancellationPath', (status) => {
      expect(
        outcome(() => customerReversePath({ kind: OrderKind.Delivery, status }, ReverseKind.Cancellation)),
      ).toBe(outcome(() => cancellationPath(status)));
    });

    it.each(ORDER_STATUSES)(
      '%s: a refund follows assertRefundable and is a request staff decide',
      (status) => {
        const expected = outcome(() => assertRefundable(status)) ?? 'REFUND_REQUEST';
        expect(
          outcome(() => customerReversePath({ kind: OrderKind.Delivery, status }, ReverseKind.Refund)),
        ).toBe(expected);
      },
    );
  });

  describe('a virtual order: cancellation and refund both mean the whole money back', () => {
    const expected: Record<OrderStatus, string> = {
      CREATED: 'IMMEDIATE',
      PAID: 'IMMEDIATE',
      FULFILLED: 'RETURN_GOODS',
      COMPLETED: DomainErrorCode.OrderCompleted,
      CANCELLED: DomainErrorCode.ReverseNotAllowed,
      // Statuses the virtual life never reaches.
      ACCEPTED: DomainErrorCode.ReverseNotAllowed,
      READY: DomainErrorCode.ReverseNotAllowed,
      DELIVERING: DomainErrorCode.ReverseNotAllowed,
      DELIVERED: DomainErrorCode.ReverseNotAllowed,
    };

    it.each(
      ORDER_STATUSES.flatMap((status) =>
        [ReverseKind.Cancellation, ReverseKind.Refund].map((asked): [OrderStatus, ReverseKind] => [
          status,
          asked,
        ]),
      ),
    )('%s, %s', (status, asked) => {
      expect(outcome(() => customerReversePath({ kind: OrderKind.Virtual, status }, asked))).toBe(
        expected[status],
      );
    });

    it('says why it refuses', () => {
      const refusal = (status: OrderStatus): string => {
        try {
          virtualReversePath(status);
        } catch (error: unknown) {
          if (error instanceof DomainError) return error.message;
        }
        throw new Error('expected a refusal');
      };
      expect(refusal(OrderStatus.Cancelled)).toMatch(/already cancelled/);
      expect(refusal(OrderStatus.Completed)).toMatch(/completed/);
    });
  });

  it.each(['GIFT', 'toString', ''])('refuses an order of the unknown kind %j', (kind) => {
    expect(
      outcome(() =>
        customerReversePath({ kind: kind as OrderKind, status: OrderStatus.Paid }, ReverseKind.Cancellation),
      ),
    ).toBe(DomainErrorCode.ReverseNotAllowed);
  });
});

describe('assertStaffRefundRequest', () => {
  it.each(ORDER_STATUSES)('a delivery order that is %s follows assertRefundable', (status) => {
    expect(outcome(() => assertStaffRefundRequest({ kind: OrderKind.Delivery, status }))).toBe(
      outcome(() => assertRefundable(status)),
    );
  });

  it.each(ORDER_STATUSES)(
    'a virtual order that is %s is cancelled by staff, not refunded by request',
    (status) => {
      expect(outcome(() => assertStaffRefundRequest({ kind: OrderKind.Virtual, status }))).toBe(
        status === OrderStatus.Completed ? DomainErrorCode.OrderCompleted : DomainErrorCode.ReverseNotAllowed,
      );
    },
  );
});

describe('assertRefundScope', () => {
  it('refuses items for a virtual order as a malformed request, with a clear message', () => {
    expect(() => assertRefundScope(OrderKind.Virtual, true)).toThrow(
      expect.objectContaining({
        code: DomainErrorCode.ValidationFailed,
        message: expect.stringMatching(/refunded whole: leave out items/),
      }),
    );
  });

  it('lets a virtual order without items and a delivery order with or without items through', () => {
    expect(() => assertRefundScope(OrderKind.Virtual, false)).not.toThrow();
    expect(() => assertRefundScope(OrderKind.Delivery, true)).not.toThrow();
    expect(() => assertRefundScope(OrderKind.Delivery, false)).not.toThrow();
  });
});
