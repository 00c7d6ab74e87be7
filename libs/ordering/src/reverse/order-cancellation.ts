import {
  DomainError,
  DomainErrorCode,
  ForwardAction,
  Order,
  OrderStatus,
  RefundBearer,
  RefundReason,
  ReverseKind,
  ReverseStatus,
  decideForwardTransition,
  isRefundDue,
} from '@eos/domain';
import { ReverseOrderSubject, ReverseRequestRecord, ShardTransaction } from '@eos/persistence';
import { transitionWrite } from '../transition-write';
import { ReverseStore } from './reverse-store';
import { lostUnderLock } from './reverse-request.state';

export interface OrderCancellation {
  /** Who the status history names. */
  readonly actor: string;
  readonly reason: string | null;
  readonly refundReason: RefundReason;
  /** Who bears the refund the cancellation makes due; null leaves it to the reason's default. */
  readonly bearer: RefundBearer | null;
  /** Recorded as `decided_by` on the open requests the cancellation closes. */
  readonly closedBy: string;
  readonly at: Date;
}

export interface ClosedRequest {
  readonly before: ReverseRequestRecord;
  readonly after: ReverseRequestRecord;
}

export interface CancellationOutcome {
  readonly order: Order;
  /** Whether the order was paid, so that its payment is now marked for refund. */
  readonly refundDue: boolean;
  /** Open requests the cancellation closed (REJECTED, their reservations released). */
  readonly closed: readonly ClosedRequest[];
}

const CLOSED_BY_CANCELLATION = 'the order was cancelled; its payment is refunded with the cancellation';

/**
 * Cancels an order inside a reverse step's transaction, the order row already locked: the domain
 * decides the forward CANCEL, the same statement as OrderTransitions writes row, history, outbox
 * event and the refund marker of a paid order; then every request still open on the order is
 * closed and its reservation released, because the cancellation's refund returns everything paid
 * and not yet promised back (the refund intake takes paid minus refunded), so nothing is paid twice
 * and nothing reserved is left stranded.
 */
export async function cancelOrderWithin(
  store: ReverseStore,
  tx: ShardTransaction,
  subject: ReverseOrderSubject,
  cancellation: OrderCancellation,
): Promise<CancellationOutcome> {
  const { order } = subject;
  if (order.status === OrderStatus.Completed) {
    throw new DomainError(DomainErrorCode.OrderCompleted, `order ${order.id} is completed and cannot change`);
  }
  const transition = decideForwardTransition(order, ForwardAction.Cancel, cancellation.at, subject);
  const moved = await store.orders.applyTransition(
    tx,
    transitionWrite([transition], cancellation.actor, cancellation.at, {
      reason: cancellation.reason,
      refundReason: cancellation.refundReason,
    }),
  );
  if (moved.length !== 1) throw lostUnderLock(`order ${order.id}`);
  const refundDue = isRefundDue(transition);
  if (cancellation.bearer !== null && refundDue) {
    await store.orders.setDueRefundBearer(tx, order.id, cancellation.refundReason, cancellation.bearer);
  }

  const closed: ClosedRequest[] = [];
  for (const request of await store.requests.lockOpen(tx, order.id)) {
    const after = await store.requests.update(tx, request.id, request.version, {
      status: ReverseStatus.Rejected,
      firstApprover: request.firstApprover,
      decidedBy: cancellation.closedBy,
      decisionReason: CLOSED_BY_CANCELLATION,
      bearer: request.bearer,
      at: cancellation.at,
    });
    if (!after) throw lostUnderLock(`reverse request ${request.id}`);
    await store.orders.changeTotals(tx, order.id, releaseOf(request));
    closed.push({ before: request, after });
  }
  return { order: transition.after, refundDue, closed };
}

/** What closing a request without executing it gives back to the order: its reservation and its count. */
export function releaseOf(request: ReverseRequestRecord): {
  refundedCents: number;
  openRequests: number;
  lines: { lineNo: number; quantity: number }[];
} {
  const refund = request.kind === ReverseKind.Refund;
  return {
    refundedCents: refund ? -request.amountCents : 0,
    openRequests: -1,
    lines: refund ? request.lines.map((line) => ({ lineNo: line.lineNo, quantity: -line.quantity })) : [],
  };
}
