import type { PoolClient } from 'pg';
import { orderItemRecords } from '@eos/persistence';
import type { ComparableOrder } from './order-digest';
import { readShardedCopies } from './sharded-copy.reader';
import type { ExistingCopy, OrderUpsert } from './shard-write.plan';

/** Who the status history names for a migrated state. */
export const MIGRATION_ACTOR = 'system:legacy-migration';

/**
 * Writes migrated orders into one user-shard schema, on a client inside the caller's transaction:
 * the same columns checkout writes (orders, order_items, order_status_history), and no outbox row
 * (see README: a migrated order is history, not news).
 *
 * paid_at, delivered_at, completed_at and payment_deadline stay null on purpose: the expiry,
 * acceptance and completion sweeps and settlement select on them, and must not act on orders the
 * legacy system already ran (and settled) while it is still the writer.
 */
export class MigratedOrderWriter {
  /** The current copies of the given orders, locked until the transaction ends. */
  async lockExisting(
    client: PoolClient,
    schema: string,
    orderIds: readonly string[],
  ): Promise<Map<string, ExistingCopy>> {
    return readShardedCopies(client, schema, orderIds, true);
  }

  async delete(client: PoolClient, schema: string, orders: readonly ComparableOrder[]): Promise<void> {
    if (orders.length === 0) return;
    const ids = orders.map((order) => order.orderId);
    await client.query(`DELETE FROM ${schema}.order_items WHERE order_id = ANY($1::bigint[])`, [ids]);
    await client.query(`DELETE FROM ${schema}.order_status_history WHERE order_id = ANY($1::bigint[])`, [
      ids,
    ]);
    await client.query(`DELETE FROM ${schema}.orders WHERE id = ANY($1::bigint[])`, [ids]);
  }

  async upsert(client: PoolClient, schema: string, upserts: readonly OrderUpsert[]): Promise<void> {
    if (upserts.length === 0) return;
    const ids = upserts.map((upsert) => upsert.order.orderId);
    await client.query(
      `INSERT INTO ${schema}.orders AS o (id, user_id, merchant_id, kind, status, subtotal_cents, packaging_fee_cents,
         delivery_fee_cents, discount_cents, total_cents, currency, address, note, version, created_at, updated_at,
         payment_deadline, paid_cents, refunded_cents)
       SELECT r.id, r.user_id, r.merchant_id, 'DELIVERY', r.status, r.subtotal_cents, r.packaging_fee_cents,
         r.delivery_fee_cents, r.discount_cents, r.total_cents, r.currency, r.address, r.note, r.version, r.created_at,
         r.updated_at, NULL, r.paid_cents, r.refunded_cents
       FROM jsonb_to_recordset($1::jsonb) AS r(id bigint, user_id bigint, merchant_id bigint, status text,
         subtotal_cents bigint, packaging_fee_cents bigint, delivery_fee_cents bigint, discount_cents bigint,
         total_cents bigint, currency text, address jsonb, note text, version integer, created_at timestamptz,
         updated_at timestamptz, paid_cents bigint, refunded_cents bigint)
       ON CONFLICT (id) DO UPDATE SET user_id = EXCLUDED.user_id, merchant_id = EXCLUDED.merchant_id,
         status = EXCLUDED.status, subtotal_cents = EXCLUDED.subtotal_cents,
         packaging_fee_cents = EXCLUDED.packaging_fee_cents, delivery_fee_cents = EXCLUDED.delivery_fee_cents,
         discount_cents = EXCLUDED.discount_cents, total_cents = EXCLUDED.total_cents, currency = EXCLUDED.currency,
         address = EXCLUDED.address, note = EXCLUDED.note, version = EXCLUDED.version,
         created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, paid_cents = EXCLUDED.paid_cents,
         refunded_cents = EXCLUDED.refunded_cents`,
      [
        JSON.stringify(
          upserts.map(({ order, version }) => ({
            id: order.orderId,
            user_id: order.userId,
            merchant_id: order.merchantId,
            status: order.status,
            subtotal_cents: order.subtotalCents,
            packaging_fee_cents: order.packagingFeeCents,
            delivery_fee_cents: order.deliveryFeeCents,
            discount_cents: order.discountCents,
            total_cents: order.totalCents,
            currency: order.currency,
            address: order.address,
            note: order.note,
            version,
            created_at: order.createdAt.toISOString(),
            updated_at: order.updatedAt.toISOString(),
            paid_cents: order.paidCents,
            refunded_cents: order.refundedCents,
          })),
        ),
      ],
    );
    // Lines are rewritten whole: the legacy store has no stable line numbers to update by. Deleted
    // only now, after the upsert above locked every order row (waiting for a concurrent copier that
    // inserted the same new order): this statement's snapshot then sees that copier's lines.
    await client.query(`DELETE FROM ${schema}.order_items WHERE order_id = ANY($1::bigint[])`, [ids]);
    await client.query(
      `INSERT INTO ${schema}.order_items (order_id, line_no, item_id, name, unit_price_cents, quantity, line_total_cents)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS l(order_id bigint, line_no smallint, item_id bigint, name text,
         unit_price_cents bigint, quantity integer, line_total_cents bigint)`,
      [
        JSON.stringify(
          upserts.flatMap(({ order }) =>
            orderItemRecords(order.items).map((record) => ({ order_id: order.orderId, ...record })),
          ),
        ),
      ],
    );
    const history = upserts.flatMap(({ order, version, history: entry }) =>
      entry === null
        ? []
        : [
            {
              order_id: order.orderId,
              version,
              from_status: entry.fromStatus,
              to_status: order.status,
              at: entry.at.toISOString(),
            },
          ],
    );
    if (history.length === 0) return;
    await client.query(
      `INSERT INTO ${schema}.order_status_history (order_id, version, from_status, to_status, actor, reason, at)
       SELECT h.order_id, h.version, h.from_status, h.to_status, $2, 'migrated from the legacy order system', h.at
       FROM jsonb_to_recordset($1::jsonb) AS h(order_id bigint, version integer, from_status text, to_status text,
         at timestamptz)
       ON CONFLICT (order_id, version) DO NOTHING`,
      [JSON.stringify(history), MIGRATION_ACTOR],
    );
  }
}
