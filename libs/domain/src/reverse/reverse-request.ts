/** What the customer (or customer service on their behalf) asks to reverse. */
export const ReverseKind = {
  /** Cancel the whole order; after acceptance the merchant decides. */
  Cancellation: 'CANCELLATION',
  /** Money back for the whole order or some of its lines, decided by customer service. */
  Refund: 'REFUND',
} as const;
export type ReverseKind = (typeof ReverseKind)[keyof typeof ReverseKind];

/** Where a reverse request stands. The first three are open: the order cannot complete meanwhile. */
export const ReverseStatus = {
  AwaitingMerchant: 'AWAITING_MERCHANT',
  AwaitingStaff: 'AWAITING_STAFF',
  AwaitingSecondApproval: 'AWAITING_SECOND_APPROVAL',
  Approved: 'APPROVED',
  Rejected: 'REJECTED',
} as const;
export type ReverseStatus = (typeof ReverseStatus)[keyof typeof ReverseStatus];

export const OPEN_REVERSE_STATUSES: ReadonlySet<ReverseStatus> = new Set([
  ReverseStatus.AwaitingMerchant,
  ReverseStatus.AwaitingStaff,
  ReverseStatus.AwaitingSecondApproval,
]);

/** Who bears the cost of a refund: settlement subtracts the merchant's share from the merchant. */
export const RefundBearer = {
  Merchant: 'MERCHANT',
  Platform: 'PLATFORM',
  DeliveryPartner: 'DELIVERY_PARTNER',
} as const;
export type RefundBearer = (typeof RefundBearer)[keyof typeof RefundBearer];

/** A refund's execution at the payment provider. FAILED is terminal until staff retry it. */
export const RefundStatus = {
  Pending: 'PENDING',
  Succeeded: 'SUCCEEDED',
  Failed: 'FAILED',
} as const;
export type RefundStatus = (typeof RefundStatus)[keyof typeof RefundStatus];
