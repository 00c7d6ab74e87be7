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
