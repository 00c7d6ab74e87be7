import type { LegacyOrderRecord } from '@eos/domain';
import type { SqlClient } from './sql-client';

interface LegacyOrderRow {
  legacy_id: string;
  user_id: string;
  merchant_id: string;
  status: string;
  subtotal_cents: string;
  packaging_fee_cents: string;
  delivery_fee_cents: string;
  discount_cents: string;
  total_cents: string;
  address: string | null;
  city: string | null;
  phone: string | null;
  remark: string | null;
  paid_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface LegacyItemRow {
  order_id: string;
  item_id: string;
  name: string;
  unit_price_cents: string;
  quantity: number;
}

const SELECT_LEGACY_ORDERS = `SELECT o.id::text AS legacy_id, o.user_id::text AS user_id, o.merchant_id::text AS merchant_id,
  o.status, o.subtotal_cents::text AS subtotal_cents, o.packaging_fee_cents::text AS packaging_fee_cents,
  o.delivery_fee_cents::text AS delivery_fee_cents, o.discount_cents::text AS discount_cents,
  o.total_cents::text AS total_cents, o.address, o.city, o.phone, o.remark, o.paid_at, o.created_at, o.updated_at
FROM orders o`;

// Items in a second flat query (in the legacy row order: their ids): cheaper than building JSON
// per order, which matters when a backfill or verify reads every order.
const SELECT_LEGACY_ITEMS = `SELECT i.order_id::text AS order_id, i.item_id::text AS item_id, i.name,
  i.unit_price_cents::text AS unit_price_cents, i.quantity
FROM order_items i WHERE i.order_id = ANY($1::bigint[]) ORDER BY i.order_id, i.id`;

function recordFrom(row: LegacyOrderRow, items: readonly LegacyItemRow[]): LegacyOrderRecord {
  return {
    legacyId: row.legacy_id,
    userId: row.user_id,
    merchantId: row.merchant_id,
    status: row.status,
    subtotalCents: row.subtotal_cents,
    packagingFeeCents: row.packaging_fee_cents,
    deliveryFeeCents: row.delivery_fee_cents,
    discountCents: row.discount_cents,
    totalCents: row.total_cents,
    address: row.address,
    city: row.city,
    phone: row.phone,
    remark: row.remark,
    paidAt: row.paid_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    items: items.map((item) => ({
      itemId: item.item_id,
      name: item.name,
      unitPriceCents: item.unit_price_cents,
      quantity: Number(item.quantity),
    })),
  };
}

async function withItems(client: SqlClient, rows: readonly LegacyOrderRow[]): Promise<LegacyOrderRecord[]> {
  if (rows.length === 0) return [];
  const { rows: items } = await client.query<LegacyItemRow>(SELECT_LEGACY_ITEMS, [
    rows.map((row) => row.legacy_id),
  ]);
  const byOrder = new Map<string, LegacyItemRow[]>();
  for (const item of items) {
    const list = byOrder.get(item.order_id);
    if (list) list.push(item);
    else byOrder.set(item.order_id, [item]);
  }
  return rows.map((row) => recordFrom(row, byOrder.get(row.legacy_id) ?? []));
}

/** Reads the legacy `orders` / `order_items` tables (the sample schema of migrate-legacy). */
export class LegacyOrderReader {
  /** The given orders that exist, by old id ascending. */
  async byIds(client: SqlClient, legacyIds: readonly string[]): Promise<LegacyOrderRecord[]> {
    if (legacyIds.length === 0) return [];
    const { rows } = await client.query<LegacyOrderRow>(
      `${SELECT_LEGACY_ORDERS} WHERE o.id = ANY($1::bigint[]) ORDER BY o.id`,
      [legacyIds],
    );
    return withItems(client, rows);
  }

  /** Keyset page: up to `limit` orders with an old id above `afterId`, ascending. */
  async page(client: SqlClient, afterId: string, limit: number): Promise<LegacyOrderRecord[]> {
    const { rows } = await client.query<LegacyOrderRow>(
      `${SELECT_LEGACY_ORDERS} WHERE o.id > $1::bigint ORDER BY o.id LIMIT $2`,
      [afterId, limit],
    );
    return withItems(client, rows);
  }

  /** Old ids in (afterId, upTo] ascending, at most `limit`: a backfill batch, read without the items. */
  async idsAfter(client: SqlClient, afterId: string, upTo: string, limit: number): Promise<string[]> {
    const { rows } = await client.query<{ id: string }>(
      // Ordered by the qualified column: a bare `id` would sort the text alias.
      'SELECT o.id::text AS id FROM orders o WHERE o.id > $1::bigint AND o.id <= $2::bigint ORDER BY o.id LIMIT $3',
      [afterId, upTo, limit],
    );
    return rows.map((row) => row.id);
  }

  /** The highest old id now ('0' for an empty table). */
  async highestId(client: SqlClient): Promise<string> {
    const { rows } = await client.query<{ id: string }>(
      'SELECT COALESCE(max(id), 0)::text AS id FROM orders',
    );
    return rows[0].id;
  }
}
