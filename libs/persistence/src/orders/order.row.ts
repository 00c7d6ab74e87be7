import { DeliveryAddress, Order, OrderKind, OrderLine, OrderStatus } from '@eos/domain';

/**
 * The columns an order read selects, items folded in as JSON so one round trip suffices.
 * `extraColumns` (", o.column, ...") adds stored facts that are not part of the aggregate.
 */
export function orderSelect(schema: string, extraColumns = ''): string {
  return `SELECT o.id::text AS id, o.user_id::text AS user_id, o.merchant_id::text AS merchant_id, o.kind, o.status,
  o.subtotal_cents, o.packaging_fee_cents, o.delivery_fee_cents, o.discount_cents, o.total_cents, o.currency,
  o.address, o.note, o.version, o.created_at, o.updated_at, o.payment_deadline${extraColumns},
  COALESCE((SELECT json_agg(json_build_object('itemId', i.item_id::text, 'name', i.name,
      'unitPriceCents', i.unit_price_cents, 'quantity', i.quantity, 'lineTotalCents', i.line_total_cents)
      ORDER BY i.line_no)
    FROM ${schema}.order_items i WHERE i.order_id = o.id), '[]'::json) AS items
FROM ${schema}.orders o`;
}

export interface OrderRow {
  id: string;
  user_id: string;
  merchant_id: string;
  kind: string;
  status: string;
  subtotal_cents: string;
  packaging_fee_cents: string;
  delivery_fee_cents: string;
  discount_cents: string;
  total_cents: string;
  currency: string;
  /** Null for virtual orders, which deliver nothing. */
  address: DeliveryAddress | null;
  note: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  payment_deadline: Date | null;
  items: OrderLine[];
}

export function orderFromRow(row: OrderRow): Order {
  return {
    id: row.id,
    userId: row.user_id,
    merchantId: row.merchant_id,
    kind: row.kind as OrderKind,
    status: row.status as OrderStatus,
    items: row.items.map((line) => ({
      itemId: line.itemId,
      name: line.name,
      unitPriceCents: Number(line.unitPriceCents),
      quantity: Number(line.quantity),
      lineTotalCents: Number(line.lineTotalCents),
    })),
    subtotalCents: Number(row.subtotal_cents),
    packagingFeeCents: Number(row.packaging_fee_cents),
    deliveryFeeCents: Number(row.delivery_fee_cents),
    discountCents: Number(row.discount_cents),
    totalCents: Number(row.total_cents),
    currency: row.currency,
    address: row.address,
    note: row.note,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    paymentDeadline: row.payment_deadline ?? row.created_at,
  };
}
