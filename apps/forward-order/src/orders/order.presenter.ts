import { Order } from '@eos/domain';
import {
  VirtualLineView,
  VirtualOrderFields,
  presentVirtualFields,
} from '../virtual/virtual-order.presenter';
import { CustomerOrder } from './customer-order';

export interface DeliveryLineView {
  itemId: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
  lineTotalCents: number;
}

/**
 * The public order shape of the v1 contract. A virtual order (`kind: 'VIRTUAL'`) has no address
 * and no fees; its lines carry a `sku` instead of an `itemId`, and the fields of
 * VirtualOrderFields (businessLine, details, fulfilment, voucher or membershipPeriod) come with it.
 */
export interface OrderView extends Partial<Omit<VirtualOrderFields, 'items'>> {
  id: string;
  userId: string;
  merchantId: string;
  kind: string;
  status: string;
  items: (DeliveryLineView | VirtualLineView)[];
  subtotalCents: number;
  packagingFeeCents: number;
  deliveryFeeCents: number;
  discountCents: number;
  totalCents: number;
  currency: string;
  address: { line1: string; city: string; phone: string } | null;
  note: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  paymentDeadline: string;
}

export function presentOrder(order: Order): OrderView {
  return {
    id: order.id,
    userId: order.userId,
    merchantId: order.merchantId,
    kind: order.kind,
    status: order.status,
    items: order.items.map((line) => ({ ...line })),
    subtotalCents: order.subtotalCents,
    packagingFeeCents: order.packagingFeeCents,
    deliveryFeeCents: order.deliveryFeeCents,
    discountCents: order.discountCents,
    totalCents: order.totalCents,
    currency: order.currency,
    address: order.address ? { ...order.address } : null,
    note: order.note,
    version: order.version,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    paymentDeadline: order.paymentDeadline.toISOString(),
  };
}

/** An order of either kind as its customer sees it; a virtual order's lines come from its extension. */
export function presentCustomerOrder({ order, virtual }: CustomerOrder): OrderView {
  return virtual ? { ...presentOrder(order), ...presentVirtualFields(virtual) } : presentOrder(order);
}
