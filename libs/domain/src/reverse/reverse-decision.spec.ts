import fc from 'fast-check';
import { DomainError, DomainErrorCode } from '../domain.error';
import { ORDER_STATUSES, OrderStatus } from '../order-status';
import {
  ReverseAction,
  ReverseDecision,
  ReverseRequestState,
  assertRefundable,
  cancellationPath,
  decideReverseStep,
  requesterOf,
} from './reverse-decision';
import { OPEN_REVERSE_STATUSES, ReverseKind, ReverseStatus } from './reverse-request';

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error: unknown) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

const THRESHOLD = 10_000;

function request(overrides: Partial<ReverseRequestState> = {}): ReverseRequestState {
  return {
    kind: ReverseKind.Cancellation,
    status: ReverseStatus.AwaitingMerchant,
    amountCents: 3_000,
    requestedBy: requesterOf('customer', '7'),
    firstApprover: null,
    ...overrides,
  };
}

const step = (state: ReverseRequestState, action: ReverseAction, staffId?: string): ReverseDecision =>
  decideReverseStep(state, action, { staffId, twoPersonThresholdCents: THRESHOLD });

describe('cancellationPath', () => {
  const expected: Record<OrderStatus, string> = {
    CREATED: 'IMMEDIATE',
    PAID: 'IMMEDIATE',
    ACCEPTED: 'MERCHANT_DECISION',
    READY: 'MERCHANT_DECISION',
    COMPLETED: DomainErrorCode.OrderCompleted,
    CANCELLED: DomainErrorCode.ReverseNotAllowed,
    DELIVERING: DomainErrorCode.ReverseNotAllowed,
    DELIVERED: DomainErrorCode.ReverseNotAllowed,
    // A virtual order's goods were issued: their refund follows the virtual goods' own rule.
    FULFILLED: DomainErrorCode.ReverseNotAllowed,
  };

  it.each(ORDER_STATUSES.map((status) => [status, expected[status]]))('%s -> %s', (status, outcome) => {
    if (outcome === 'IMMEDIATE' || outcome === 'MERCHANT_DECISION') {
      expect(cancellationPath(status)).toBe(outcome);
    } else {
      const error = refusal(() => cancellationPath(status));
      expect(error.code).toBe(outcome);
      expect(error.details).toEqual({ status });
    }
  });

  it('says why: already cancelled, or on its way so ask for a refund', () => {
    expect(refusal(() => cancellationPath(OrderStatus.Cancelled)).message).toMatch(/already cancelled/);
    expect(refusal(() => cancellationPath(OrderStatus.Delivering)).message).toMatch(/refund/);
  });

  it('refuses an unknown status', () => {
    expect(refusal(() => cancellationPath('LOST' as OrderStatus)).code).toBe(
      DomainErrorCode.ReverseNotAllowed,
    );
  });
});

describe('assertRefundable', () => {
  it.each([OrderStatus.Accepted, OrderStatus.Ready, OrderStatus.Delivering, OrderStatus.Delivered])(
    'allows a refund request for %s',
    (status) => {
      expect(() => assertRefundable(status)).not.toThrow();
    },
  );

  it.each([
    [OrderStatus.Completed, DomainErrorCode.OrderCompleted, /completed/],
    [OrderStatus.Created, DomainErrorCode.ReverseNotAllowed, /not paid/],
    [OrderStatus.Paid, DomainErrorCode.ReverseNotAllowed, /cancel/],
    [OrderStatus.Cancelled, DomainErrorCode.ReverseNotAllowed, /cancelled/],
  ])('refuses %s with %s', (status, code, message) => {
    const error = refusal(() => assertRefundable(status));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });
});

describe('requesterOf', () => {
  it('labels customers and staff', () => {
    expect(requesterOf('customer', '7')).toBe('customer:7');
    expect(requesterOf('staff', '3')).toBe('staff:3');
  });
});

describe('decideReverseStep', () => {
  describe('the merchant', () => {
    it('approves a cancellation awaiting it: executes and closes', () => {
      expect(step(request(), ReverseAction.MerchantApprove)).toEqual({
        status: ReverseStatus.Approved,
        firstApprover: null,
        executes: true,
        closes: true,
      });
    });

    it('refuses it: closes without executing', () => {
      expect(step(request(), ReverseAction.MerchantRefuse)).toEqual({
        status: ReverseStatus.Rejected,
        firstApprover: null,
        executes: false,
        closes: true,
      });
    });

    it('escalates it to customer service: stays open', () => {
      expect(step(request(), ReverseAction.Escalate)).toEqual({
        status: ReverseStatus.AwaitingStaff,
        firstApprover: null,
        executes: false,
        closes: false,
      });
    });

    const merchantActions = [
      ReverseAction.MerchantApprove,
      ReverseAction.MerchantRefuse,
      ReverseAction.Escalate,
    ];
    it.each(
      merchantActions.flatMap((action) =>
        [ReverseStatus.AwaitingStaff, ReverseStatus.AwaitingSecondApproval].map(
          (status): [ReverseAction, ReverseStatus] => [action, status],
        ),
      ),
    )('cannot %s a request that is %s', (action, status) => {
      const error = refusal(() => step(request({ status }), action));
      expect(error.code).toBe(DomainErrorCode.IllegalTransition);
      expect(error.details).toEqual({ from: status, action });
    });

    it.each(merchantActions)('cannot %s a refund request', (action) => {
      const error = refusal(() => step(request({ kind: ReverseKind.Refund }), action));
      expect(error.code).toBe(DomainErrorCode.IllegalTransition);
    });
  });

  describe('staff', () => {
    it('approves at or below the threshold in one step', () => {
      for (const status of [ReverseStatus.AwaitingMerchant, ReverseStatus.AwaitingStaff]) {
        expect(step(request({ status, amountCents: THRESHOLD }), ReverseAction.StaffApprove, '3')).toEqual({
          status: ReverseStatus.Approved,
          firstApprover: null,
          executes: true,
          closes: true,
        });
      }
    });

    it('needs a second, different approver above the threshold', () => {
      const big = request({
        kind: ReverseKind.Refund,
        status: ReverseStatus.AwaitingStaff,
        amountCents: THRESHOLD + 1,
      });
      const first = step(big, ReverseAction.StaffApprove, '3');
      expect(first).toEqual({
        status: ReverseStatus.AwaitingSecondApproval,
        firstApprover: '3',
        executes: false,
        closes: false,
      });
      const waiting = { ...big, status: first.status, firstApprover: first.firstApprover };
      expect(refusal(() => step(waiting, ReverseAction.StaffApprove, '3')).code).toBe(
        DomainErrorCode.SecondApproverRequired,
      );
      expect(step(waiting, ReverseAction.StaffApprove, '2')).toEqual({
        status: ReverseStatus.Approved,
        firstApprover: '3',
        executes: true,
        closes: true,
      });
    });

    it('never lets a staff member approve a request they made', () => {
      const own = request({
        kind: ReverseKind.Refund,
        status: ReverseStatus.AwaitingStaff,
        requestedBy: requesterOf('staff', '3'),
      });
      expect(refusal(() => step(own, ReverseAction.StaffApprove, '3')).code).toBe(
        DomainErrorCode.SecondApproverRequired,
      );
      const secondByMaker = {
        ...own,
        amountCents: THRESHOLD + 1,
        status: ReverseStatus.AwaitingSecondApproval,
        firstApprover: '2',
      };
      expect(refusal(() => step(secondByMaker, ReverseAction.StaffApprove, '3')).code).toBe(
        DomainErrorCode.SecondApproverRequired,
      );
      expect(step(secondByMaker, ReverseAction.StaffApprove, '1').status).toBe(ReverseStatus.Approved);
    });

    it('does not confuse a customer id with a staff id', () => {
      const byCustomer3 = request({
        status: ReverseStatus.AwaitingStaff,
        requestedBy: requesterOf('customer', '3'),
      });
      expect(step(byCustomer3, ReverseAction.StaffApprove, '3').status).toBe(ReverseStatus.Approved);
    });

    it.each([...OPEN_REVERSE_STATUSES])('rejects a request that is %s', (status) => {
      expect(step(request({ status, firstApprover: '2' }), ReverseAction.StaffReject, '3')).toEqual({
        status: ReverseStatus.Rejected,
        firstApprover: '2',
        executes: false,
        closes: true,
      });
    });

    it.each([ReverseAction.StaffApprove, ReverseAction.StaffReject])(
      'treats %s without a staff id as a programming error',
      (action) => {
        expect(() => step(request(), action)).toThrow(/staff id/);
        expect(() => step(request(), action)).not.toThrow(DomainError);
      },
    );
  });

  it.each(
    Object.values(ReverseAction).flatMap((action) =>
      [ReverseStatus.Approved, ReverseStatus.Rejected].map((status): [ReverseAction, ReverseStatus] => [
        action,
        status,
      ]),
    ),
  )('refuses %s once a request is %s', (action, status) => {
    const error = refusal(() => step(request({ status }), action, '3'));
    expect(error.code).toBe(DomainErrorCode.IllegalTransition);
    expect(error.details).toEqual({ from: status, action });
  });

  it.each(['toString', '__proto__', 'approve', ''])('refuses the unknown action %j', (name) => {
    expect(refusal(() => step(request(), name as ReverseAction, '3')).code).toBe(
      DomainErrorCode.IllegalTransition,
    );
  });
});

describe('reverse request properties', () => {
  const staffIds = ['1', '2', '3', '4'];
  const actor = fc.record({
    action: fc.constantFrom(...Object.values(ReverseAction)),
    staffId: fc.constantFrom(...staffIds),
  });
  // Any state a stored request can be in: a request awaiting its second approval has a first
  // approver other than its requester.
  const start = fc
    .record({
      kind: fc.constantFrom(...Object.values(ReverseKind)),
      status: fc.constantFrom(...Object.values(ReverseStatus)),
      amountCents: fc.integer({ min: 0, max: 3 * THRESHOLD }),
      requestedBy: fc.constantFrom(
        ...staffIds.map((id) => requesterOf('staff', id)),
        requesterOf('customer', '1'),
      ),
    })
    .chain((base) =>
      (base.status === ReverseStatus.AwaitingSecondApproval
        ? fc.constantFrom(...staffIds.filter((id) => requesterOf('staff', id) !== base.requestedBy))
        : fc.constant(null)
      ).map((firstApprover): ReverseRequestState => ({ ...base, firstApprover })),
    );

  it('reaches APPROVED through staff only under the two-person rule, and closed requests never change', () => {
    fc.assert(
      fc.property(start, fc.array(actor, { maxLength: 12 }), (initial: ReverseRequestState, steps) => {
        let state = initial;
        // Staff approvals accepted so far, in order.
        const staffApprovals: string[] = initial.firstApprover === null ? [] : [initial.firstApprover];
        for (const { action, staffId } of steps) {
          const wasClosed = !OPEN_REVERSE_STATUSES.has(state.status);
          let decision: ReverseDecision;
          try {
            decision = step(state, action, staffId);
          } catch (error: unknown) {
            expect(error).toBeInstanceOf(DomainError);
            continue;
          }
          expect(wasClosed).toBe(false);
          expect(decision.closes).toBe(!OPEN_REVERSE_STATUSES.has(decision.status));
          expect(decision.executes).toBe(decision.status === ReverseStatus.Approved);
          if (action === ReverseAction.StaffApprove) {
            expect(state.requestedBy).not.toBe(requesterOf('staff', staffId));
            staffApprovals.push(staffId);
            if (decision.status === ReverseStatus.Approved && state.amountCents > THRESHOLD) {
              expect(staffApprovals).toHaveLength(2);
              expect(new Set(staffApprovals).size).toBe(2);
              for (const id of staffApprovals) expect(state.requestedBy).not.toBe(requesterOf('staff', id));
            }
          }
          if (decision.status === ReverseStatus.AwaitingSecondApproval) {
            expect(state.amountCents).toBeGreaterThan(THRESHOLD);
          }
          // Only a merchant approves a request without staff, and only a cancellation awaiting it.
          if (decision.status === ReverseStatus.Approved && action !== ReverseAction.StaffApprove) {
            expect(action).toBe(ReverseAction.MerchantApprove);
            expect(state.kind).toBe(ReverseKind.Cancellation);
            expect(state.status).toBe(ReverseStatus.AwaitingMerchant);
          }
          state = { ...state, status: decision.status, firstApprover: decision.firstApprover };
        }
      }),
    );
  });
});
