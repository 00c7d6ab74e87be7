import type { SqlClient } from '@eos/persistence';
import type { ComparableOrder } from './order-digest';
import type { ExistingCopy } from './shard-write.plan';

interface CopyRow {
  id: string;
  user_id: string;
  merchant_id: string;
  status: string;
  subtotal_cents: string;
  packaging_fee_cents: string;
  delivery_fee_cents: string;
  discount_cents: string;
  total_cents: string;
  currency: string;
  address: ComparableOrder['address'];
  note: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  paid_cents: string;
  refunded_cents: string;
}

interface LineRow {
  order_id: string;
  item_id: string;
  name: string;
  unit_price_cents: string;
  quantity: number;
  line_total_cents: string;
}

/**
 * Reads migrated orders back from one user-shard schema, lines in a second flat query (cheaper
 * than JSON per order when verify reads every order). With `lock`, inside the caller's
 * transaction, the order rows stay locked (FOR UPDATE) until it ends.
 */
export async function readShardedCopies(
  client: SqlClient,
  schema: string,
  orderIds: readonly string[],
  lock: boolean,
): Promise<Map<string, ExistingCopy>> {
  if (orderIds.length === 0) return new Map();
  const { rows } = await client.query<CopyRow>(
    // Ordered by the qualified column: a bare `id` would sort the text alias.
    `SELECT o.id::text AS id, o.user_id::text AS user_id, o.merchant_id::text AS merchant_id, o.status,
       o.subtotal_cents, o.packaging_fee_cents, o.delivery_fee_cents, o.discount_cents, o.total_cents, o.currency,
       o.address, o.note, o.version, o.created_at, o.updated_at, o.paid_cents, o.refunded_cents
     FROM ${schema}.orders o WHERE o.id = ANY($1::bigint[]) ORDER BY o.id${lock ? ' FOR UPDATE' : ''}`,
    [orderIds],
  );
  if (rows.length === 0) return new Map();
  const { rows: lines } = await client.query<LineRow>(
    `SELECT l.order_id::text AS order_id, l.item_id::text AS item_id, l.name, l.unit_price_cents, l.quantity,
       l.line_total_cents
     FROM ${schema}.order_items l WHERE l.order_id = ANY($1::bigint[]) ORDER BY l.order_id, l.line_no`,
    [rows.map((row) => row.id)],
  );
  const linesOf = new Map<string, LineRow[]>();
  for (const line of lines) {
    const list = linesOf.get(line.order_id);
    if (list) list.push(line);
    else linesOf.set(line.order_id, [line]);
  }
  return new Map(
    rows.map((row) => [
      row.id,
      {
        version: row.version,
        order: {
          orderId: row.id,
          userId: row.user_id,
          merchantId: row.merchant_id,
          status: row.status,
          subtotalCents: Number(row.subtotal_cents),
          packagingFeeCents: Number(row.packaging_fee_cents),
          deliveryFeeCents: Number(row.delivery_fee_cents),
          discountCents: Number(row.discount_cents),
          totalCents: Number(row.total_cents),
          currency: row.currency,
          address: row.address,
          note: row.note,
          createdAt: row.created_at,
          updatedAt: row.updated_at,
          paidCents: Number(row.paid_cents),
          refundedCents: Number(row.refunded_cents),
          items: (linesOf.get(row.id) ?? []).map((line) => ({
            itemId: line.item_id,
            name: line.name,
            unitPriceCents: Number(line.unit_price_cents),
            quantity: Number(line.quantity),
            lineTotalCents: Number(line.line_total_cents),
          })),
        },
      },
    ]),
  );
}
