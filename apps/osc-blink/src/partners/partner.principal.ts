/** Who a call speaks for, once its credentials are verified. */
export type PartnerPrincipal = MerchantPrincipal | DeliveryPrincipal;

interface PrincipalBase {
  /** The credential's id (the `x-eos-partner-id` of the call). */
  readonly credentialId: string;
  readonly ratePerSecond: number;
  readonly burst: number;
}

export interface MerchantPrincipal extends PrincipalBase {
  readonly kind: 'MERCHANT';
  readonly merchantIds: ReadonlySet<string>;
}

export interface DeliveryPrincipal extends PrincipalBase {
  readonly kind: 'DELIVERY';
  readonly deliveryPartnerId: string;
}
