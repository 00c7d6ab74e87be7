import { DomainError, DomainErrorCode } from '../domain.error';
import { OrderStatus } from '../order-status';
import { OPEN_REVERSE_STATUSES, ReverseKind, ReverseStatus } from './reverse-request';

/** How a customer's cancellation is decided: at once, or by the merchant (then customer service). */
export type CancellationPath = 'IMMEDIATE' | 'MERCHANT_DECISION';

function completed(status: OrderStatus): DomainError {
  return new DomainError(
    DomainErrorCode.OrderCompleted,
    'the order is completed: its after-sale window is closed',
    { status },
  );
}

function notAllowed(status: OrderStatus, why: string): DomainError {
  return new DomainError(DomainErrorCode.ReverseNotAllowed, why, { status });
}

/**
 * A delivery order's cancellation (customerReversePath picks the rule by kind).
 * CREATED, PAID -> IMMEDIATE (the merchant has not started: nothing to decide); ACCEPTED, READY ->
 * MERCHANT_DECISION (food may be cooking); COMPLETED -> ORDER_COMPLETED; CANCELLED, DELIVERING,
 * DELIVERED -> REVERSE_NOT_ALLOWED.
 */
export function cancellationPath(status: OrderStatus): CancellationPath {
  switch (status) {
    case OrderStatus.Created:
    case OrderStatus.Paid:
      return 'IMMEDIATE';
    case OrderStatus.Accepted:
    case OrderStatus.Ready:
      return 'MERCHANT_DECISION';
    case OrderStatus.Completed:
      throw completed(status);
    case OrderStatus.Cancelled:
      throw notAllowed(status, 'the order is already cancelled');
    case OrderStatus.Delivering:
    case OrderStatus.Delivered:
      throw notAllowed(
        status,
        `the order is ${status}: it is on its way or delivered; ask for a refund instead`,
      );
    case OrderStatus.Fulfilled:
      throw notAllowed(status, 'the goods were issued: ask for a refund of unused goods instead');
    default:
      throw notAllowed(status, `an order that is ${String(status)} cannot be cancelled`);
  }
}

/**
 * A delivery order's refund request (customerReversePath picks the rule by kind).
 * Refund requests are allowed for ACCEPTED, READY, DELIVERING, DELIVERED: money was paid and the
 * merchant has started. COMPLETED -> ORDER_COMPLETED; CREATED (not paid), PAID (cancel instead),
 * CANCELLED (its refund is already due) -> REVERSE_NOT_ALLOWED.
 */
export function assertRefundable(status: OrderStatus): void {
  switch (status) {
    case OrderStatus.Accepted:
    case OrderStatus.Ready:
    case OrderStatus.Delivering:
    case OrderStatus.Delivered:
      return;
    case OrderStatus.Completed:
      throw completed(status);
    case OrderStatus.Created:
      throw notAllowed(status, 'the order is not paid: there is nothing to refund');
    case OrderStatus.Paid:
      throw notAllowed(status, 'the merchant has not accepted the order yet: cancel it instead');
    case OrderStatus.Cancelled:
      throw notAllowed(status, 'the order is cancelled: its payment is refunded with the cancellation');
    case OrderStatus.Fulfilled:
      throw notAllowed(status, 'refunds of virtual goods follow the goods: not through a refund request');
    default:
      throw notAllowed(status, `an order that is ${String(status)} cannot be refunded`);
  }
}

export const ReverseAction = {
  MerchantApprove: 'MERCHANT_APPROVE',
  MerchantRefuse: 'MERCHANT_REFUSE',
  /** The merchant did not decide in time (or asked for help): customer service decides. */
  Escalate: 'ESCALATE',
  StaffApprove: 'STAFF_APPROVE',
  StaffReject: 'STAFF_REJECT',
} as const;
export type ReverseAction = (typeof ReverseAction)[keyof typeof ReverseAction];

export interface ReverseRequestState {
  readonly kind: ReverseKind;
  readonly status: ReverseStatus;
  /** Money the approval pays out: a refund request's reserved amount; for a cancellation, what is still refundable. */
  readonly amountCents: number;
  /** 'customer:<userId>' or 'staff:<staffId>' */
  readonly requestedBy: string;
  /** Staff id of the first approval under the two-person rule. */
  readonly firstApprover: string | null;
}

export interface ReverseStepContext {
  /** The staff member acting; required for the staff actions. */
  readonly staffId?: string;
  /** Approvals paying out more than this need two distinct staff members. */
  readonly twoPersonThresholdCents: number;
}

export interface ReverseDecision {
  readonly status: ReverseStatus;
  readonly firstApprover: string | null;
  /** True when this step approves the request for good: the caller now cancels the order / creates the refund. */
  readonly executes: boolean;
  /** True when this step closes the request (APPROVED or REJECTED): the order's open-request count goes down. */
  readonly closes: boolean;
}

/** The requester label stored on a request: 'customer:7', 'staff:3'. */
export function requesterOf(kind: 'customer' | 'staff', id: string): string {
  return `${kind}:${id}`;
}

function illegal(request: ReverseRequestState, action: ReverseAction): DomainError {
  return new DomainError(
    DomainErrorCode.IllegalTransition,
    `cannot ${String(action)} a ${String(request.kind)} request that is ${String(request.status)}`,
    { from: request.status, action },
  );
}

function secondApproverRequired(why: string, staffId: string): DomainError {
  return new DomainError(DomainErrorCode.SecondApproverRequired, why, { staffId });
}

const approved = (firstApprover: string | null): ReverseDecision => ({
  status: ReverseStatus.Approved,
  firstApprover,
  executes: true,
  closes: true,
});

const rejected = (firstApprover: string | null): ReverseDecision => ({
  status: ReverseStatus.Rejected,
  firstApprover,
  executes: false,
  closes: true,
});

function staffIdOf(action: ReverseAction, context: ReverseStepContext): string {
  if (context.staffId === undefined || context.staffId === '') {
    // The caller forgot who acts: a bug, not a user's mistake.
    throw new Error(`${action} needs the acting staff id`);
  }
  return context.staffId;
}

/**
 * One step of a reverse request. The merchant decides only a cancellation awaiting it; staff may
 * approve or reject any open request. Two-person rule: no staff member approves a request they
 * made, and an approval paying out more than the threshold needs a second, different staff member
 * (neither the requester nor the first approver) before it executes.
 */
export function decideReverseStep(
  request: ReverseRequestState,
  action: ReverseAction,
  context: ReverseStepContext,
): ReverseDecision {
  // Checked before the status: a missing actor is a bug whatever state the request is in.
  const staffId =
    action === ReverseAction.StaffApprove || action === ReverseAction.StaffReject
      ? staffIdOf(action, context)
      : '';
  if (!OPEN_REVERSE_STATUSES.has(request.status)) throw illegal(request, action);
  const awaitingMerchantCancellation =
    request.status === ReverseStatus.AwaitingMerchant && request.kind === ReverseKind.Cancellation;

  switch (action) {
    case ReverseAction.MerchantApprove:
      if (!awaitingMerchantCancellation) throw illegal(request, action);
      return approved(request.firstApprover);
    case ReverseAction.MerchantRefuse:
      if (!awaitingMerchantCancellation) throw illegal(request, action);
      return rejected(request.firstApprover);
    case ReverseAction.Escalate:
      if (!awaitingMerchantCancellation) throw illegal(request, action);
      return {
        status: ReverseStatus.AwaitingStaff,
        firstApprover: request.firstApprover,
        executes: false,
        closes: false,
      };
    case ReverseAction.StaffReject:
      return rejected(request.firstApprover);
    case ReverseAction.StaffApprove:
      return staffApproval(request, staffId, context.twoPersonThresholdCents);
    default:
      throw illegal(request, action);
  }
}

function staffApproval(
  request: ReverseRequestState,
  staffId: string,
  thresholdCents: number,
): ReverseDecision {
  const isRequester = request.requestedBy === requesterOf('staff', staffId);
  if (request.status === ReverseStatus.AwaitingSecondApproval) {
    if (isRequester || request.firstApprover === null || request.firstApprover === staffId) {
      throw secondApproverRequired(
        'the second approval must come from someone other than the requester and the first approver',
        staffId,
      );
    }
    return approved(request.firstApprover);
  }
  if (isRequester) {
    throw secondApproverRequired('a staff member cannot approve a request they made', staffId);
  }
  if (request.amountCents > thresholdCents) {
    return {
      status: ReverseStatus.AwaitingSecondApproval,
      firstApprover: staffId,
      executes: false,
      closes: false,
    };
  }
  return approved(request.firstApprover);
}
