import { ShardRoute } from '@eos/sharding';
import { ShardDataSources } from '../shards/shard-data-sources';
import { onShard } from '../shards/shard-failure';

/** Sums of the orders one merchant completed in a period, in one currency. Cents as decimal strings. */
export interface MerchantCompletedTotals {
  readonly merchantId: string;
  readonly currency: string;
  readonly orders: number;
  readonly subtotalCents: string;
  readonly packagingFeeCents: string;
  readonly deliveryFeeCents: string;
  readonly discountCents: string;
  readonly totalCents: string;
  /** Refunds of these orders that the merchant bears (every status: see completedTotals). */
  readonly merchantRefundCents: string;
}

/** Reads completed orders from the user shards, the source of truth, for settlement. */
export class SettlementRepository {
  constructor(private readonly sources: ShardDataSources) {}

  /**
   * Per merchant and currency, the orders COMPLETED with `completed_at` in [from, to) on the given
   * shards, which must all live on `database`. Sums are bigint in SQL, returned as strings.
   *
   * `merchantRefundCents` sums the refunds of those orders whose bearer is MERCHANT, whatever their
   * execution status: a refund is owed from the moment it is made, and FAILED only means the
   * provider has not paid it yet (staff retry it; nothing cancels a refund). Since no reverse flow
   * touches a completed order, its refunds are fixed when it completes, so a day's figures are the
   * same whenever they are read.
   */
  async completedTotals(
    database: string,
    routes: readonly ShardRoute[],
    from: Date,
    to: Date,
  ): Promise<MerchantCompletedTotals[]> {
    if (routes.length === 0) return [];
    for (const route of routes) {
      if (route.database !== database) throw new Error(`shard ${route.schema} is not on ${database}`);
    }
    const shards = routes
      .map(
        (
          route,
        ) => `SELECT o.merchant_id, o.currency, o.subtotal_cents, o.packaging_fee_cents, o.delivery_fee_cents,
    o.discount_cents, o.total_cents,
    COALESCE((SELECT sum(r.amount_cents) FROM ${route.schema}.refunds r
              WHERE r.order_id = o.id AND r.bearer = 'MERCHANT'), 0) AS merchant_refund_cents
  FROM ${route.schema}.orders o WHERE o.status = 'COMPLETED' AND o.completed_at >= $1 AND o.completed_at < $2`,
      )
      .join('\n  UNION ALL\n  ');
    return onShard(database, async () => {
      const rows: {
        merchant_id: string;
        currency: string;
        orders: number;
        subtotal_cents: string;
        packaging_fee_cents: string;
        delivery_fee_cents: string;
        discount_cents: string;
        total_cents: string;
        merchant_refund_cents: string;
      }[] = await this.sources.get(database).query(
        `SELECT merchant_id::text AS merchant_id, currency, count(*)::int AS orders,
  sum(subtotal_cents)::text AS subtotal_cents, sum(packaging_fee_cents)::text AS packaging_fee_cents,
  sum(delivery_fee_cents)::text AS delivery_fee_cents, sum(discount_cents)::text AS discount_cents,
  sum(total_cents)::text AS total_cents, sum(merchant_refund_cents)::text AS merchant_refund_cents
FROM (
  ${shards}
) AS completed
GROUP BY merchant_id, currency`,
        [from.toISOString(), to.toISOString()],
      );
      return rows.map((row) => ({
        merchantId: row.merchant_id,
        currency: row.currency,
        orders: row.orders,
        subtotalCents: row.subtotal_cents,
        packagingFeeCents: row.packaging_fee_cents,
        deliveryFeeCents: row.delivery_fee_cents,
        discountCents: row.discount_cents,
        totalCents: row.total_cents,
        merchantRefundCents: row.merchant_refund_cents,
      }));
    });
  }
}
