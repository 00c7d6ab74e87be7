import { DomainError, DomainErrorCode, ReverseKind, ReverseRequestState } from '@eos/domain';
import { ReverseOrderSubject, ReverseRequestRecord } from '@eos/persistence';

/**
 * What approving the request pays out: a refund request's reserved amount; for a cancellation,
 * everything paid and not yet promised back (the cancellation refunds the rest of the payment).
 */
export function payoutOf(request: ReverseRequestRecord, order: ReverseOrderSubject): number {
  return request.kind === ReverseKind.Refund
    ? request.amountCents
    : Math.max(0, order.paidCents - order.refundedCents);
}

/** The request as the domain's reverse state machine decides on it. */
export function requestState(request: ReverseRequestRecord, payoutCents: number): ReverseRequestState {
  return {
    kind: request.kind,
    status: request.status,
    amountCents: payoutCents,
    requestedBy: request.requestedBy,
    firstApprover: request.firstApprover,
  };
}

/** The request as the audit log keeps it before and after a step. */
export function auditSnapshot(request: ReverseRequestRecord): Record<string, unknown> {
  return {
    id: request.id,
    kind: request.kind,
    status: request.status,
    amountCents: request.amountCents,
    currency: request.currency,
    lines: request.lines,
    requestedBy: request.requestedBy,
    firstApprover: request.firstApprover,
    decidedBy: request.decidedBy,
    decisionReason: request.decisionReason,
    bearer: request.bearer,
    version: request.version,
  };
}

export function orderNotFound(orderId: string): DomainError {
  return new DomainError(DomainErrorCode.OrderNotFound, `order ${orderId} not found`);
}

export function requestNotFound(requestId: string): DomainError {
  return new DomainError(DomainErrorCode.ReverseRequestNotFound, `reverse request ${requestId} not found`);
}

/** A guarded write found the row at another version, although it was locked: never expected. */
export function lostUnderLock(what: string): DomainError {
  return new DomainError(DomainErrorCode.VersionConflict, `${what} changed while it was locked; try again`);
}
