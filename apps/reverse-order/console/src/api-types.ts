/**
 * The shapes of the public staff API (reverse-order, v1) that the console reads. Ids are decimal
 * strings, money integer cents with a currency, times ISO-8601 UTC.
 */

export type Permission =
  | 'order.read'
  | 'refund.request'
  | 'refund.approve'
  | 'reverse.reject'
  | 'refund.retry'
  | 'order.cancel'
  | 'audit.read'
  | 'staff.admin';

export interface Grant {
  readonly permission: Permission;
  /** The largest amount the grant covers; null: no ceiling. */
  readonly ceilingCents: number | null;
}

/** GET /v1/cs/me */
export interface Me {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly active: boolean;
  readonly grants: readonly Grant[];
}

export interface OrderSummary {
  readonly id: string;
  readonly userId: string;
  readonly merchantId: string;
  readonly kind: string;
  readonly status: string;
  readonly totalCents: number;
  readonly currency: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** GET /v1/cs/orders?userId=|merchantId= */
export interface OrderSearchPage {
  readonly items: readonly OrderSummary[];
  readonly nextCursor: string | null;
}

export interface OrderLine {
  readonly itemId: string;
  readonly name: string;
  readonly unitPriceCents: number;
  readonly quantity: number;
  readonly lineTotalCents: number;
}

export interface CaseOrder extends OrderSummary {
  readonly items: readonly OrderLine[];
  readonly subtotalCents: number;
  readonly packagingFeeCents: number;
  readonly deliveryFeeCents: number;
  readonly discountCents: number;
  readonly address: { readonly line1: string; readonly city: string; readonly phone: string } | null;
  readonly note: string | null;
  readonly paidCents: number;
  readonly refundedCents: number;
  readonly openReverseRequests: number;
}

export interface HistoryEntry {
  readonly version: number;
  readonly fromStatus: string | null;
  readonly toStatus: string;
  readonly actor: string;
  readonly reason: string | null;
  readonly at: string;
}

export type ReverseStatus =
  'AWAITING_MERCHANT' | 'AWAITING_STAFF' | 'AWAITING_SECOND_APPROVAL' | 'APPROVED' | 'REJECTED';

export interface ReverseRequest {
  readonly id: string;
  readonly orderId: string;
  readonly kind: 'CANCELLATION' | 'REFUND';
  readonly status: ReverseStatus;
  readonly reason: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly items: readonly {
    readonly itemId: string;
    readonly quantity: number;
    readonly amountCents: number;
  }[];
  readonly decisionReason: string | null;
  readonly merchantDeadline: string | null;
  readonly requestedBy: string;
  readonly firstApprover: string | null;
  readonly decidedBy: string | null;
  readonly bearer: string | null;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Refund {
  readonly id: string;
  readonly orderId: string;
  readonly reverseRequestId: string | null;
  readonly refundDueId: string | null;
  readonly amountCents: number;
  readonly currency: string;
  readonly bearer: string;
  readonly reason: string;
  readonly status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly completedAt: string | null;
}

export interface AuditEntry {
  readonly source: 'order' | 'staff';
  readonly id: string;
  readonly orderId: string | null;
  readonly staffId: string;
  readonly action: string;
  readonly target: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly reason: string | null;
  readonly at: string;
}

/** GET /v1/cs/orders/:orderId: the order and everything that happened to it. */
export interface OrderCase {
  readonly order: CaseOrder;
  readonly history: readonly HistoryEntry[];
  readonly reverseRequests: readonly ReverseRequest[];
  readonly refunds: readonly Refund[];
  readonly audit: readonly AuditEntry[];
}

/** Who bears a refund; absent: the server's default for the action. */
export type RefundBearer = 'MERCHANT' | 'PLATFORM' | 'DELIVERY_PARTNER';

/** The answer of an approval or rejection. */
export interface DecisionAnswer {
  readonly request: ReverseRequest;
  readonly order: { readonly id: string; readonly status: string; readonly version: number };
  readonly refundId: string | null;
}

/** The answer of a force-cancel. */
export interface CancelAnswer {
  readonly order: { readonly id: string; readonly status: string; readonly version: number };
  readonly rejectedRequests: readonly ReverseRequest[];
}

/** POST /v1/cs/dev-sign-in */
export interface DevSignInAnswer {
  readonly token: string;
  readonly staffId: string;
  readonly expiresAt: string;
}
