import type { MigratedOrder } from '@eos/domain';
import type { ComparableOrder } from './order-digest';

/** A legacy order as it should look on its shard, under the eos id the mapping gave it. */
export function comparableFromLegacy(orderId: string, order: MigratedOrder): ComparableOrder {
  return {
    orderId,
    userId: order.userId,
    merchantId: order.merchantId,
    status: order.status,
    subtotalCents: order.subtotalCents,
    packagingFeeCents: order.packagingFeeCents,
    deliveryFeeCents: order.deliveryFeeCents,
    discountCents: order.discountCents,
    totalCents: order.totalCents,
    currency: order.currency,
    address: order.address,
    note: order.note,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    paidCents: order.paidCents,
    refundedCents: order.refundedCents,
    items: order.items,
  };
}
