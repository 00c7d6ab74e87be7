import type { ShardRoute } from '@eos/sharding';
import { merchantOrderFromRow, type MerchantOrder } from '../orders/merchant-order.repository';
import type { ShardDataSources } from '../shards/shard-data-sources';

/** Order-id range of a reconciliation: [fromId, toId), ids being time-ordered. */
export interface OrderIdRange {
  readonly fromId: bigint;
  readonly toId: bigint;
}

/** Reads the user dimension (the source of truth) in the shape the merchant dimension keeps. */
export class UserOrderRangeReader {
  constructor(private readonly sources: ShardDataSources) {}

  /** One page of a user shard's orders with ids in `range`, after `afterId`, by id. */
  async page(
    route: ShardRoute,
    range: OrderIdRange,
    afterId: string | null,
    limit: number,
  ): Promise<MerchantOrder[]> {
    const rows: Parameters<typeof merchantOrderFromRow>[0][] = await this.sources.get(route.database).query(
      `SELECT id::text AS order_id, merchant_id::text AS merchant_id, user_id::text AS user_id, kind, status,
         total_cents, currency, version, created_at, updated_at
       FROM ${route.schema}.orders
       WHERE id >= $1::bigint AND id < $2::bigint AND id > $3::bigint
       ORDER BY id LIMIT $4`,
      [range.fromId.toString(), range.toId.toString(), afterId ?? '0', limit],
    );
    return rows.map(merchantOrderFromRow);
  }

  /** Which of `orderIds` exist on one user shard. */
  async existing(route: ShardRoute, orderIds: readonly string[]): Promise<Set<string>> {
    if (orderIds.length === 0) return new Set();
    const rows: {
      id: string;
    }[] = await this.sources
      .get(route.database)
      .query(`SELECT id::text AS id FROM ${route.schema}.orders WHERE id = ANY($1::bigint[])`, [orderIds]);
    return new Set(rows.map((row) => row.id));
  }
}
