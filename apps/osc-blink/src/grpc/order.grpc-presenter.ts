import { Order } from '@eos/domain';
import { MerchantOrder, MerchantOrderChange } from '@eos/persistence';
import { OrderChangeMessage, OrderMessage, OrderSummaryMessage } from './blink.messages';
import { protoStatus } from './request-fields';

/** An order on the wire; the delivery address only for whoever delivers it. */
export function presentOrder(order: Order, options: { withAddress: boolean }): OrderMessage {
  return {
    id: order.id,
    merchantId: order.merchantId,
    status: protoStatus(order.status),
    items: order.items.map((line) => ({
      itemId: line.itemId,
      name: line.name,
      unitPriceCents: String(line.unitPriceCents),
      quantity: line.quantity,
      lineTotalCents: String(line.lineTotalCents),
    })),
    subtotalCents: String(order.subtotalCents),
    packagingFeeCents: String(order.packagingFeeCents),
    deliveryFeeCents: String(order.deliveryFeeCents),
    discountCents: String(order.discountCents),
    totalCents: String(order.totalCents),
    currency: order.currency,
    note: order.note ?? '',
    // Virtual orders have no address to show.
    address: options.withAddress && order.address ? { ...order.address } : null,
    version: order.version,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

export function presentSummary(order: MerchantOrder): OrderSummaryMessage {
  return {
    id: order.orderId,
    merchantId: order.merchantId,
    status: protoStatus(order.status),
    totalCents: String(order.totalCents),
    currency: order.currency,
    version: order.version,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

export function presentChange(change: MerchantOrderChange): OrderChangeMessage {
  return {
    orderId: change.orderId,
    merchantId: change.merchantId,
    status: protoStatus(change.status),
    previousStatus:
      change.previousStatus === null ? 'ORDER_STATUS_UNSPECIFIED' : protoStatus(change.previousStatus),
    version: change.version,
    totalCents: String(change.totalCents),
    currency: change.currency,
    createdAt: change.orderCreatedAt.toISOString(),
    changedAt: change.changedAt.toISOString(),
  };
}
