import { Order } from '@eos/domain';
import { AuditRecord, ReverseRequestRecord } from '@eos/persistence';

/** A reverse request as its customer sees it: no staff names, no internal bookkeeping. */
export interface CustomerReverseRequestView {
  id: string;
  orderId: string;
  kind: string;
  status: string;
  reason: string;
  amountCents: number;
  currency: string;
  items: { itemId: string; quantity: number; amountCents: number }[];
  decisionReason: string | null;
  merchantDeadline: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A reverse request as customer service sees it. */
export interface StaffReverseRequestView extends CustomerReverseRequestView {
  userId: string;
  merchantId: string;
  requestedBy: string;
  firstApprover: string | null;
  decidedBy: string | null;
  bearer: string | null;
  version: number;
}

/** Where the order stands after a reverse step. */
export interface OrderStateView {
  id: string;
  status: string;
  version: number;
}

export function presentCustomerRequest(request: ReverseRequestRecord): CustomerReverseRequestView {
  return {
    id: request.id,
    orderId: request.orderId,
    kind: request.kind,
    status: request.status,
    reason: request.reason,
    amountCents: request.amountCents,
    currency: request.currency,
    items: request.lines.map((line) => ({
      itemId: line.itemId,
      quantity: line.quantity,
      amountCents: line.amountCents,
    })),
    decisionReason: request.decisionReason,
    merchantDeadline: request.merchantDeadline?.toISOString() ?? null,
    createdAt: request.createdAt.toISOString(),
    updatedAt: request.updatedAt.toISOString(),
  };
}

export function presentStaffRequest(request: ReverseRequestRecord): StaffReverseRequestView {
  return {
    ...presentCustomerRequest(request),
    userId: request.userId,
    merchantId: request.merchantId,
    requestedBy: request.requestedBy,
    firstApprover: request.firstApprover,
    decidedBy: request.decidedBy,
    bearer: request.bearer,
    version: request.version,
  };
}

export function presentOrderState(order: Order): OrderStateView {
  return { id: order.id, status: order.status, version: order.version };
}

/** One audit entry; `source` says which log holds it: an order's shard, or the staff directory's. */
export interface AuditView {
  source: 'order' | 'staff';
  id: string;
  orderId: string | null;
  staffId: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  at: string;
}

export function presentOrderAudit(entry: AuditRecord): AuditView {
  return {
    source: 'order',
    id: entry.id,
    orderId: entry.orderId,
    staffId: entry.staffId,
    action: entry.action,
    target: entry.target,
    before: entry.before,
    after: entry.after,
    reason: entry.reason,
    at: entry.at.toISOString(),
  };
}
