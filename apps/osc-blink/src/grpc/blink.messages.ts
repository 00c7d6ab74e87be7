/**
 * The contract's messages as handlers see them after decoding (proto/eos/blink/v1/*.proto with
 * blinkLoaderOptions: camelCase fields, int64 as decimal strings, enums by name, defaults filled).
 * Values that arrive are still checked: an unknown enum number decodes to a number.
 */
export type ProtoEnum = string | number;

export interface OrderLineMessage {
  itemId: string;
  name: string;
  unitPriceCents: string;
  quantity: number;
  lineTotalCents: string;
}

export interface OrderMessage {
  id: string;
  merchantId: string;
  status: string;
  items: OrderLineMessage[];
  subtotalCents: string;
  packagingFeeCents: string;
  deliveryFeeCents: string;
  discountCents: string;
  totalCents: string;
  currency: string;
  note: string;
  address: { line1: string; city: string; phone: string } | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface OrderSummaryMessage {
  id: string;
  merchantId: string;
  status: string;
  totalCents: string;
  currency: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface OrderReply {
  order: OrderMessage;
}

export interface WatchOrdersRequest {
  merchantId: string;
  cursor: string;
}

export interface OrderChangeMessage {
  orderId: string;
  merchantId: string;
  status: string;
  previousStatus: string;
  version: number;
  totalCents: string;
  currency: string;
  createdAt: string;
  changedAt: string;
}

export interface OrderFeedEvent {
  cursor: string;
  change: OrderChangeMessage | null;
}

export interface ListMerchantOrdersRequest {
  merchantId: string;
  status: ProtoEnum;
  limit: number;
  pageToken: string;
}

export interface ListMerchantOrdersReply {
  orders: OrderSummaryMessage[];
  nextPageToken: string;
  feedCursor: string;
}

export interface MerchantOrderRequest {
  orderId: string;
  merchantId: string;
}

export interface RejectOrderRequest {
  orderId: string;
  reason: string;
  merchantId: string;
}

export interface DecideCancellationRequest {
  orderId: string;
  decision: ProtoEnum;
  reason: string;
  merchantId: string;
}

export interface ListAssignedOrdersRequest {
  status: ProtoEnum;
  limit: number;
  pageToken: string;
}

export interface ListAssignedOrdersReply {
  orders: OrderMessage[];
  nextPageToken: string;
}

export interface DeliveryOrderRequest {
  orderId: string;
}

export interface ReportExceptionRequest {
  orderId: string;
  kind: ProtoEnum;
  note: string;
}

export interface ReportExceptionReply {
  exceptionId: string;
  orderId: string;
  reportedAt: string;
}
