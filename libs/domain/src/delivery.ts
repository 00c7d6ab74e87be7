import { OrderStatus } from './order-status';

/**
 * Statuses in which an order may be handed to (or moved between) delivery partners: paid and not
 * yet picked up. Once a rider has the food, the assignment is what it is.
 */
export const DISPATCHABLE_STATUSES: readonly OrderStatus[] = [
  OrderStatus.Paid,
  OrderStatus.Accepted,
  OrderStatus.Ready,
];

/** What a rider can report going wrong on the way; a report does not change the order's status. */
export const DeliveryExceptionKind = {
  CustomerUnreachable: 'CUSTOMER_UNREACHABLE',
  AddressNotFound: 'ADDRESS_NOT_FOUND',
  OrderDamaged: 'ORDER_DAMAGED',
  MerchantDelayed: 'MERCHANT_DELAYED',
  RiderIncident: 'RIDER_INCIDENT',
  Other: 'OTHER',
} as const;

export type DeliveryExceptionKind = (typeof DeliveryExceptionKind)[keyof typeof DeliveryExceptionKind];

export const DELIVERY_EXCEPTION_KINDS: readonly DeliveryExceptionKind[] =
  Object.values(DeliveryExceptionKind);
