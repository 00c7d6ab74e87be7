/**
 * Stable, machine-readable reasons a domain rule refuses something. Every transport maps these
 * codes to its own statuses in one exhaustive mapper; the domain never knows about HTTP or gRPC.
 */
export const DomainErrorCode = {
  ValidationFailed: 'VALIDATION_FAILED',
  InvalidId: 'INVALID_ID',
  CartEmpty: 'CART_EMPTY',
  DuplicateItem: 'DUPLICATE_ITEM',
  QuantityOutOfRange: 'QUANTITY_OUT_OF_RANGE',
  MerchantNotFound: 'MERCHANT_NOT_FOUND',
  MerchantClosed: 'MERCHANT_CLOSED',
  ItemNotFound: 'ITEM_NOT_FOUND',
  ItemUnavailable: 'ITEM_UNAVAILABLE',
  OrderNotFound: 'ORDER_NOT_FOUND',
  IllegalTransition: 'ILLEGAL_TRANSITION',
  VersionConflict: 'VERSION_CONFLICT',
  IdempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  IdempotencyKeyRequired: 'IDEMPOTENCY_KEY_REQUIRED',
  IdempotencyKeyInFlight: 'IDEMPOTENCY_KEY_IN_FLIGHT',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  ShardUnavailable: 'SHARD_UNAVAILABLE',
  DependencyUnavailable: 'DEPENDENCY_UNAVAILABLE',
  IdsUnavailable: 'IDS_UNAVAILABLE',
  PaymentSignatureInvalid: 'PAYMENT_SIGNATURE_INVALID',
  PaymentSignatureExpired: 'PAYMENT_SIGNATURE_EXPIRED',
  PaymentAmountMismatch: 'PAYMENT_AMOUNT_MISMATCH',
  /** The order is COMPLETED (settled): no reverse request may touch it. */
  OrderCompleted: 'ORDER_COMPLETED',
  /** The order's status does not allow this reverse request (unpaid, cancelled, too late to cancel). */
  ReverseNotAllowed: 'REVERSE_NOT_ALLOWED',
  /** The request would refund more money or more units than were paid for. */
  RefundExceedsPaid: 'REFUND_EXCEEDS_PAID',
  ReverseRequestNotFound: 'REVERSE_REQUEST_NOT_FOUND',
  RefundNotFound: 'REFUND_NOT_FOUND',
  StaffNotFound: 'STAFF_NOT_FOUND',
  StaffAlreadyExists: 'STAFF_ALREADY_EXISTS',
  /** The staff member lacks the permission the action needs (or it was revoked). */
  PermissionDenied: 'PERMISSION_DENIED',
  /** The amount is above the staff member's ceiling for the permission. */
  ApprovalCeilingExceeded: 'APPROVAL_CEILING_EXCEEDED',
  /** Two-person rule: the requester or the first approver cannot give the (second) approval. */
  SecondApproverRequired: 'SECOND_APPROVER_REQUIRED',
  /** No virtual business line of that name is configured. */
  BusinessLineNotFound: 'BUSINESS_LINE_NOT_FOUND',
  /** No voucher of that code belongs to the caller. */
  VoucherNotFound: 'VOUCHER_NOT_FOUND',
  /** The voucher was redeemed already: it cannot be redeemed again, nor refunded. */
  VoucherAlreadyRedeemed: 'VOUCHER_ALREADY_REDEEMED',
  /** The voucher was voided (its order was refunded): it cannot be redeemed. */
  VoucherVoided: 'VOUCHER_VOIDED',
  /** The membership period has started: it can no longer be refunded. */
  MembershipPeriodStarted: 'MEMBERSHIP_PERIOD_STARTED',
} as const;

export type DomainErrorCode = (typeof DomainErrorCode)[keyof typeof DomainErrorCode];

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
