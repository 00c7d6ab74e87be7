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
