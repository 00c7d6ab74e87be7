import { Order } from '@eos/domain';

/** The public order shape of the v1 contract. */
export interface OrderView {
  id: string;
  userId: string;
  merchantId: string;
  kind: string;
  status: string;
  items: { itemId: string; name: string; unitPriceCents: number; quantity: number; lineTotalCents: number }[];
  subtotalCents: number;
  packagingFeeCents: number;
  deliveryFeeCents: number;
  discountCents: number;
  totalCents: number;
  currency: string;
  address: { line1: string; city: string; phone: string };
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
    address: { ...order.address },
    note: order.note,
    version: order.version,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    paymentDeadline: order.paymentDeadline.toISOString(),
  };
}
