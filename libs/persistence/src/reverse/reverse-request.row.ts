import type { RefundBearer, ReverseKind, ReverseStatus } from '@eos/domain';

/** One line of a refund request: the units of an order line it returns and what they are worth. */
export interface ReverseRequestLine {
  readonly lineNo: number;
  readonly itemId: string;
  readonly quantity: number;
  readonly amountCents: number;
}

/** A reverse request as its user shard stores it. */
export interface ReverseRequestRecord {
  readonly id: string;
  readonly orderId: string;
  readonly userId: string;
  readonly merchantId: string;
  readonly kind: ReverseKind;
  readonly status: ReverseStatus;
  readonly reason: string;
  /** Refund requests: the money reserved on the order; cancellations: 0. */
  readonly amountCents: number;
  readonly currency: string;
  readonly lines: readonly ReverseRequestLine[];
  /** 'customer:<userId>' or 'staff:<staffId>'. */
  readonly requestedBy: string;
  /** Staff id of the first approval under the two-person rule. */
  readonly firstApprover: string | null;
  /** 'merchant:<id>' or 'staff:<id>' once decided. */
  readonly decidedBy: string | null;
  readonly decisionReason: string | null;
  readonly bearer: RefundBearer | null;
  readonly merchantDeadline: Date | null;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ReverseRequestRow {
  id: string;
  order_id: string;
  user_id: string;
  merchant_id: string;
  kind: string;
  status: string;
  reason: string;
  amount_cents: string;
  currency: string;
  lines: ReverseRequestLine[];
  requested_by: string;
  first_approver: string | null;
  decided_by: string | null;
  decision_reason: string | null;
  bearer: string | null;
  merchant_deadline: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** The columns of a reverse request read, ids as text (int8 travels as a string). */
export const REVERSE_REQUEST_COLUMNS = `r.id::text AS id, r.order_id::text AS order_id, r.user_id::text AS user_id,
  r.merchant_id::text AS merchant_id, r.kind, r.status, r.reason, r.amount_cents, r.currency, r.lines,
  r.requested_by, r.first_approver::text AS first_approver, r.decided_by, r.decision_reason, r.bearer,
  r.merchant_deadline, r.version, r.created_at, r.updated_at`;

export function reverseRequestFromRow(row: ReverseRequestRow): ReverseRequestRecord {
  return {
    id: row.id,
    orderId: row.order_id,
    userId: row.user_id,
    merchantId: row.merchant_id,
    kind: row.kind as ReverseKind,
    status: row.status as ReverseStatus,
    reason: row.reason,
    amountCents: Number(row.amount_cents),
    currency: row.currency,
    lines: row.lines.map((line) => ({
      lineNo: Number(line.lineNo),
      itemId: String(line.itemId),
      quantity: Number(line.quantity),
      amountCents: Number(line.amountCents),
    })),
    requestedBy: row.requested_by,
    firstApprover: row.first_approver,
    decidedBy: row.decided_by,
    decisionReason: row.decision_reason,
    bearer: row.bearer as RefundBearer | null,
    merchantDeadline: row.merchant_deadline ? new Date(row.merchant_deadline) : null,
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
