/** Who made a transition, as the status history records it. */
export const OrderActor = {
  Customer: 'customer',
  Merchant: 'merchant',
  Rider: 'rider',
  PaymentProvider: 'payment-provider',
  Expiry: 'system:expiry',
  AcceptanceDeadline: 'system:acceptance-deadline',
  Completion: 'system:completion',
} as const;

export type OrderActor = (typeof OrderActor)[keyof typeof OrderActor];

/**
 * A customer-service staff member, as the status history records them: 'staff:<id>', so the
 * history names who cancelled an order without a join to the staff directory.
 */
export function staffActor(staffId: string): string {
  return `staff:${staffId}`;
}
