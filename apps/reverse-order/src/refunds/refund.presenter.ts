import type { RefundRecord } from '@eos/persistence';

/** A refund on the wire: ids as decimal strings, money in integer cents, times ISO-8601 UTC. */
export interface RefundView {
  id: string;
  orderId: string;
  reverseRequestId: string | null;
  refundDueId: string | null;
  amountCents: number;
  currency: string;
  bearer: string;
  reason: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  providerRefundId: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

export function presentRefund(refund: RefundRecord): RefundView {
  return {
    id: refund.id,
    orderId: refund.orderId,
    reverseRequestId: refund.reverseRequestId,
    refundDueId: refund.refundDueId,
    amountCents: refund.amountCents,
    currency: refund.currency,
    bearer: refund.bearer,
    reason: refund.reason,
    status: refund.status,
    attempts: refund.attempts,
    nextAttemptAt: refund.nextAttemptAt?.toISOString() ?? null,
    lastError: refund.lastError,
    providerRefundId: refund.providerRefundId,
    createdAt: refund.createdAt.toISOString(),
    updatedAt: refund.updatedAt.toISOString(),
    completedAt: refund.completedAt?.toISOString() ?? null,
  };
}
