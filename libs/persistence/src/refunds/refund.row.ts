import type { RefundBearer, RefundStatus } from '@eos/domain';

/** A refund as the executor and customer service see it; money in integer cents. */
export interface RefundRecord {
  readonly id: string;
  readonly orderId: string;
  /** Its source: an approved refund request, or a refund that became due on the forward side. */
  readonly reverseRequestId: string | null;
  readonly refundDueId: string | null;
  readonly amountCents: number;
  readonly currency: string;
  readonly bearer: RefundBearer;
  readonly reason: string;
  readonly status: RefundStatus;
  /** Provider calls that failed since the refund was created or last retried by staff. */
  readonly attempts: number;
  readonly nextAttemptAt: Date | null;
  readonly lastError: string | null;
  readonly providerRefundId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly completedAt: Date | null;
}

export interface RefundRow {
  id: string;
  order_id: string;
  reverse_request_id: string | null;
  refund_due_id: string | null;
  amount_cents: string;
  currency: string;
  bearer: string;
  reason: string;
  status: string;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  provider_refund_id: string | null;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

/** The select list of a RefundRow, from the refunds table (or a CTE of its rows) aliased `alias`. */
export function refundColumns(alias: string): string {
  return `${alias}.id::text AS id, ${alias}.order_id::text AS order_id,
  ${alias}.reverse_request_id::text AS reverse_request_id, ${alias}.refund_due_id::text AS refund_due_id,
  ${alias}.amount_cents::text AS amount_cents, ${alias}.currency, ${alias}.bearer, ${alias}.reason, ${alias}.status,
  ${alias}.attempts, ${alias}.next_attempt_at, ${alias}.last_error, ${alias}.provider_refund_id,
  ${alias}.created_at, ${alias}.updated_at, ${alias}.completed_at`;
}

export function refundFromRow(row: RefundRow): RefundRecord {
  return {
    id: row.id,
    orderId: row.order_id,
    reverseRequestId: row.reverse_request_id,
    refundDueId: row.refund_due_id,
    // Safe: a refund never exceeds what one order paid.
    amountCents: Number(row.amount_cents),
    currency: row.currency,
    bearer: row.bearer as RefundBearer,
    reason: row.reason,
    status: row.status as RefundStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at ? new Date(row.next_attempt_at) : null,
    lastError: row.last_error,
    providerRefundId: row.provider_refund_id,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    completedAt: row.completed_at ? new Date(row.completed_at) : null,
  };
}
