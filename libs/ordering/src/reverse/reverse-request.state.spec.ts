import { OrderStatus, ReverseKind, ReverseStatus } from '@eos/domain';
import { ReverseOrderSubject, ReverseRequestRecord } from '@eos/persistence';
import { releaseOf } from './order-cancellation';
import { payoutOf, requestState } from './reverse-request.state';

const AT = new Date(Date.UTC(2026, 0, 1));

function request(kind: ReverseRequestRecord['kind'], amountCents: number): ReverseRequestRecord {
  return {
    id: '11',
    orderId: '10',
    userId: '7',
    merchantId: '3',
    kind,
    status: ReverseStatus.AwaitingStaff,
    reason: 'cold',
    amountCents,
    currency: 'CNY',
    lines:
      kind === ReverseKind.Refund
        ? [
            { lineNo: 1, itemId: '301', quantity: 2, amountCents: amountCents - 100 },
            { lineNo: 3, itemId: '303', quantity: 1, amountCents: 100 },
          ]
        : [],
    requestedBy: 'customer:7',
    firstApprover: null,
    decidedBy: null,
    decisionReason: null,
    bearer: null,
    merchantDeadline: null,
    version: 1,
    createdAt: AT,
    updatedAt: AT,
  };
}

function order(paidCents: number, refundedCents: number): ReverseOrderSubject {
  return {
    order: { id: '10', status: OrderStatus.Accepted } as ReverseOrderSubject['order'],
    openReverseRequests: 1,
    paidCents,
    refundedCents,
    lines: [],
  };
}

describe('what a reverse request pays out and gives back', () => {
  it('a refund request pays its reserved amount, whatever else the order holds', () => {
    expect(payoutOf(request(ReverseKind.Refund, 1200), order(5000, 3000))).toBe(1200);
  });

  it('a cancellation pays everything paid and not yet promised back, never less than nothing', () => {
    expect(payoutOf(request(ReverseKind.Cancellation, 0), order(5000, 1200))).toBe(3800);
    expect(payoutOf(request(ReverseKind.Cancellation, 0), order(0, 0))).toBe(0);
  });

  it('the state the domain decides on carries the payout, the requester and the first approver', () => {
    expect(requestState({ ...request(ReverseKind.Cancellation, 0), firstApprover: '4' }, 3800)).toEqual({
      kind: ReverseKind.Cancellation,
      status: ReverseStatus.AwaitingStaff,
      amountCents: 3800,
      requestedBy: 'customer:7',
      firstApprover: '4',
    });
  });

  it('closing a refund request unexecuted releases its money and units; a cancellation only its count', () => {
    expect(releaseOf(request(ReverseKind.Refund, 1200))).toEqual({
      refundedCents: -1200,
      openRequests: -1,
      lines: [
        { lineNo: 1, quantity: -2 },
        { lineNo: 3, quantity: -1 },
      ],
    });
    expect(releaseOf(request(ReverseKind.Cancellation, 0))).toEqual({
      refundedCents: 0,
      openRequests: -1,
      lines: [],
    });
  });
});
