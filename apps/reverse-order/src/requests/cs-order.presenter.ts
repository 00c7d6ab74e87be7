import { Order } from '@eos/domain';
import { MerchantOrder, OrderTimeline } from '@eos/persistence';

/** An order in a customer-service search result, from either dimension. */
export interface OrderSummaryView {
  id: string;
  userId: string;
  merchantId: string;
  kind: string;
  status: string;
  totalCents: number;
  currency: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The whole order as customer service reads it, with its money facts. */
export interface CsOrderView {
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
  /** Null for virtual goods, which are not delivered. */
  address: { line1: string; city: string; phone: string } | null;
  note: string | null;
  paidCents: number;
  refundedCents: number;
  openReverseRequests: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface HistoryView {
  version: number;
  fromStatus: string | null;
  toStatus: string;
  actor: string;
  reason: string | null;
  at: string;
}

export function presentUserOrderSummary(order: Order): OrderSummaryView {
  return {
    id: order.id,
    userId: order.userId,
    merchantId: order.merchantId,
    kind: order.kind,
    status: order.status,
    totalCents: order.totalCents,
    currency: order.currency,
    version: order.version,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

export function presentMerchantOrderSummary(order: MerchantOrder): OrderSummaryView {
  return {
    id: order.orderId,
    userId: order.userId,
    merchantId: order.merchantId,
    kind: order.kind,
    status: order.status,
    totalCents: order.totalCents,
    currency: order.currency,
    version: order.version,
    createdAt: new Date(order.createdAt).toISOString(),
    updatedAt: new Date(order.updatedAt).toISOString(),
  };
}

export function presentCsOrder(timeline: OrderTimeline): CsOrderView {
  const { order } = timeline;
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
    paidCents: timeline.paidCents,
    refundedCents: timeline.refundedCents,
    openReverseRequests: timeline.openReverseRequests,
    version: order.version,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

export function presentHistory(timeline: OrderTimeline): HistoryView[] {
  return timeline.history.map((entry) => ({
    version: entry.version,
    fromStatus: entry.fromStatus,
    toStatus: entry.toStatus,
    actor: entry.actor,
    reason: entry.reason,
    at: entry.at.toISOString(),
  }));
}
