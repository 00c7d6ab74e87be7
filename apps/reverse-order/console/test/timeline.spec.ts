import type { OrderCase, ReverseRequest } from '../src/api-types';
import { caseTimeline } from '../src/timeline';

const request = (overrides: Partial<ReverseRequest>): ReverseRequest => ({
  id: '500',
  orderId: '100',
  kind: 'REFUND',
  status: 'AWAITING_STAFF',
  reason: 'cold food',
  amountCents: 1695,
  currency: 'CNY',
  items: [{ itemId: '9002', quantity: 1, amountCents: 1695 }],
  decisionReason: null,
  merchantDeadline: null,
  requestedBy: 'customer:7',
  firstApprover: null,
  decidedBy: null,
  bearer: null,
  version: 1,
  createdAt: '2026-12-04T10:05:00.000Z',
  updatedAt: '2026-12-04T10:05:00.000Z',
  ...overrides,
});

function orderCase(parts: Partial<OrderCase>): OrderCase {
  return {
    order: {
      id: '100',
      userId: '7',
      merchantId: '3',
      kind: 'DELIVERY',
      status: 'DELIVERED',
      items: [
        { itemId: '9002', name: 'Cucumber salad', unitPriceCents: 1800, quantity: 1, lineTotalCents: 1800 },
      ],
      subtotalCents: 1800,
      packagingFeeCents: 0,
      deliveryFeeCents: 0,
      discountCents: 0,
      totalCents: 1800,
      currency: 'CNY',
      address: null,
      note: null,
      paidCents: 1800,
      refundedCents: 0,
      openReverseRequests: 1,
      version: 5,
      createdAt: '2026-12-04T10:00:00.000Z',
      updatedAt: '2026-12-04T10:05:00.000Z',
    },
    history: [],
    reverseRequests: [],
    refunds: [],
    audit: [],
    ...parts,
  };
}

describe('caseTimeline', () => {
  it('merges the four sources into one list by time, oldest first', () => {
    const timeline = caseTimeline(
      orderCase({
        history: [
          {
            version: 1,
            fromStatus: null,
            toStatus: 'CREATED',
            actor: 'customer',
            reason: null,
            at: '2026-12-04T10:00:00.000Z',
          },
          {
            version: 2,
            fromStatus: 'CREATED',
            toStatus: 'PAID',
            actor: 'payment',
            reason: null,
            at: '2026-12-04T10:01:00.000Z',
          },
        ],
        reverseRequests: [
          request({
            status: 'APPROVED',
            decidedBy: 'staff:3',
            decisionReason: 'photo shows it',
            bearer: 'MERCHANT',
            updatedAt: '2026-12-04T10:07:00.000Z',
          }),
        ],
        refunds: [
          {
            id: '600',
            orderId: '100',
            reverseRequestId: '500',
            refundDueId: null,
            amountCents: 1695,
            currency: 'CNY',
            bearer: 'MERCHANT',
            reason: 'UNUSED_GOODS_RETURNED',
            status: 'SUCCEEDED',
            attempts: 1,
            nextAttemptAt: null,
            lastError: null,
            createdAt: '2026-12-04T10:07:00.000Z',
            updatedAt: '2026-12-04T10:08:00.000Z',
            completedAt: '2026-12-04T10:08:00.000Z',
          },
        ],
        audit: [
          {
            source: 'order',
            id: '1',
            orderId: '100',
            staffId: '3',
            action: 'reverse_request.approve',
            target: 'reverse_request:500',
            before: null,
            after: null,
            reason: 'photo shows it',
            at: '2026-12-04T10:07:00.000Z',
          },
        ],
      }),
    );
    expect(timeline.map((entry) => [entry.kind, entry.title])).toEqual([
      ['status', 'Order placed: CREATED'],
      ['status', 'CREATED → PAID'],
      ['request', 'Refund request 16.95 CNY'],
      // Same instant, one transaction: the decision before the refund it made and its audit row.
      ['request', 'Refund request 16.95 CNY approved'],
      ['refund', 'Refund 16.95 CNY created'],
      ['audit', 'Audit: reverse_request.approve'],
      ['refund', 'Refund 16.95 CNY paid back'],
    ]);
    expect(timeline[2].lines).toContain('1 × Cucumber salad (16.95 CNY)');
    expect(timeline[3].lines).toEqual(
      expect.arrayContaining(['by staff:3', 'reason: photo shows it', 'borne by MERCHANT']),
    );
    expect(timeline.some((entry) => entry.openRequest)).toBe(false);
    expect(new Set(timeline.map((entry) => entry.key)).size).toBe(timeline.length);
  });

  it('hangs the actions of an open request on its entry, and says what it waits for', () => {
    const open = request({ status: 'AWAITING_SECOND_APPROVAL', firstApprover: '2' });
    const [entry] = caseTimeline(orderCase({ reverseRequests: [open] }));
    expect(entry.openRequest).toBe(open);
    expect(entry.lines).toEqual(
      expect.arrayContaining(['open: waiting for a second approval', 'first approval by staff 2']),
    );
  });

  it('shows a failed refund with its last error', () => {
    const timeline = caseTimeline(
      orderCase({
        refunds: [
          {
            id: '601',
            orderId: '100',
            reverseRequestId: null,
            refundDueId: '9',
            amountCents: 1800,
            currency: 'CNY',
            bearer: 'PLATFORM',
            reason: 'STAFF_CANCELLED',
            status: 'FAILED',
            attempts: 5,
            nextAttemptAt: null,
            lastError: 'provider answered 500',
            createdAt: '2026-12-04T10:00:00.000Z',
            updatedAt: '2026-12-04T11:00:00.000Z',
            completedAt: null,
          },
        ],
      }),
    );
    expect(timeline.map((entry) => entry.title)).toEqual([
      'Refund 18.00 CNY created',
      'Refund 18.00 CNY failed',
    ]);
    expect(timeline[1].lines).toEqual(['refund 601, after 5 attempts', 'last error: provider answered 500']);
  });
});
