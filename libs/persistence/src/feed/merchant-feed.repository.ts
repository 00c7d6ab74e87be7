import { OrderStatus } from '@eos/domain';
import { ShardRoute } from '@eos/sharding';
import { ShardDataSources } from '../shards/shard-data-sources';
import { onShard } from '../shards/shard-failure';

/** One entry of a merchant's feed: an order as the merchant dimension stored it at that change. */
export interface MerchantOrderChange {
  /** Position in the merchant's feed (decimal); dense and in commit order per merchant. */
  readonly seq: string;
  readonly merchantId: string;
  readonly orderId: string;
  readonly version: number;
  readonly status: OrderStatus;
  readonly previousStatus: OrderStatus | null;
  readonly totalCents: number;
  readonly currency: string;
  readonly orderCreatedAt: Date;
  readonly changedAt: Date;
  /** When the merchant dimension recorded the change (the projector's commit, roughly). */
  readonly recordedAt: Date;
}

interface ChangeRow {
  seq: string;
  merchant_id: string;
  order_id: string;
  version: number;
  status: string;
  previous_status: string | null;
  total_cents: string;
  currency: string;
  order_created_at: Date;
  changed_at: Date;
  recorded_at: Date;
}

/** Reads the per-merchant change log of the merchant shards (written by a trigger, see partner-bridge.ddl.ts). */
export class MerchantFeedRepository {
  constructor(private readonly sources: ShardDataSources) {}

  /** The merchant's last feed position, "0" before its first change. */
  async head(route: ShardRoute, merchantId: string): Promise<string> {
    return onShard(route.database, async () => {
      const rows: { last_seq: string }[] = await this.sources
        .get(route.database)
        .query(
          `SELECT last_seq::text AS last_seq FROM ${route.schema}.merchant_feed_heads WHERE merchant_id = $1`,
          [merchantId],
        );
      return rows[0]?.last_seq ?? '0';
    });
  }

  /**
   * Deletes up to `limit` entries of the merchant shard `route` recorded before `recordedBefore`;
   * returns how many. Each merchant's entries are recorded in position order, so what goes is
   * always the oldest of a merchant's feed, and a reader resuming from before it is told
   * (CURSOR_EXPIRED) rather than handed a feed with a hole. The heads stay: positions never repeat.
   */
  async prune(route: ShardRoute, recordedBefore: Date, limit: number): Promise<number> {
    return onShard(route.database, async () => {
      const rows: { deleted: number }[] = await this.sources.get(route.database).query(
        `WITH old AS (
  SELECT merchant_id, seq FROM ${route.schema}.merchant_order_changes WHERE recorded_at < $1 LIMIT $2
), gone AS (
  DELETE FROM ${route.schema}.merchant_order_changes c USING old
  WHERE c.merchant_id = old.merchant_id AND c.seq = old.seq
  RETURNING 1
)
SELECT count(*)::int AS deleted FROM gone`,
        [recordedBefore, limit],
      );
      return rows[0]?.deleted ?? 0;
    });
  }

  /** Changes after position `afterSeq`, oldest first, at most `limit`. */
  async changesAfter(
    route: ShardRoute,
    merchantId: string,
    afterSeq: string,
    limit: number,
  ): Promise<MerchantOrderChange[]> {
    return onShard(route.database, async () => {
      const rows: ChangeRow[] = await this.sources.get(route.database).query(
        // Ordered by the bigint column: ORDER BY "seq" alone would sort the text alias ("10" < "9").
        `SELECT c.seq::text AS seq, c.merchant_id::text AS merchant_id, c.order_id::text AS order_id, c.version,
           c.status, c.previous_status, c.total_cents, c.currency, c.order_created_at, c.changed_at, c.recorded_at
         FROM ${route.schema}.merchant_order_changes c
         WHERE c.merchant_id = $1 AND c.seq > $2::bigint
         ORDER BY c.seq LIMIT $3`,
        [merchantId, afterSeq, limit],
      );
      return rows.map((row) => ({
        seq: row.seq,
        merchantId: row.merchant_id,
        orderId: row.order_id,
        version: row.version,
        status: row.status as OrderStatus,
        previousStatus: row.previous_status as OrderStatus | null,
        totalCents: Number(row.total_cents),
        currency: row.currency,
        orderCreatedAt: row.order_created_at,
        changedAt: row.changed_at,
        recordedAt: row.recorded_at,
      }));
    });
  }
}
