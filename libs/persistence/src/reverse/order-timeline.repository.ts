import type { Order } from '@eos/domain';
import type { ShardRoute } from '@eos/sharding';
import { OrderRow, orderFromRow, orderSelect } from '../orders/order.row';
import { ShardDataSources } from '../shards/shard-data-sources';
import { onShard } from '../shards/shard-failure';

/** One entry of an order's forward status history. */
export interface OrderHistoryEntry {
  readonly version: number;
  readonly fromStatus: string | null;
  readonly toStatus: string;
  readonly actor: string;
  readonly reason: string | null;
  readonly at: Date;
}

/** An order as customer service reads it: the aggregate, its money facts and its forward history. */
export interface OrderTimeline {
  readonly order: Order;
  readonly paidCents: number;
  readonly refundedCents: number;
  readonly openReverseRequests: number;
  readonly history: readonly OrderHistoryEntry[];
}

type TimelineRow = OrderRow & {
  paid_cents: string;
  refunded_cents: string;
  open_reverse_requests: number;
  history: {
    version: number;
    from: string | null;
    to: string;
    actor: string;
    reason: string | null;
    at: string;
  }[];
};

/** Reads an order with its history in one round trip, for customer-service views. */
export class OrderTimelineRepository {
  constructor(private readonly sources: ShardDataSources) {}

  async read(route: ShardRoute, orderId: string): Promise<OrderTimeline | null> {
    const extra = `, o.paid_cents, o.refunded_cents, o.open_reverse_requests,
  COALESCE((SELECT json_agg(json_build_object('version', h.version, 'from', h.from_status, 'to', h.to_status,
      'actor', h.actor, 'reason', h.reason, 'at', h.at) ORDER BY h.version)
    FROM ${route.schema}.order_status_history h WHERE h.order_id = o.id), '[]'::json) AS history`;
    return onShard(route.database, async () => {
      const rows: TimelineRow[] = await this.sources
        .get(route.database)
        .query(`${orderSelect(route.schema, extra)} WHERE o.id = $1`, [orderId]);
      const row = rows[0];
      if (!row) return null;
      return {
        order: orderFromRow(row),
        paidCents: Number(row.paid_cents),
        refundedCents: Number(row.refunded_cents),
        openReverseRequests: row.open_reverse_requests,
        history: row.history.map((entry) => ({
          version: entry.version,
          fromStatus: entry.from,
          toStatus: entry.to,
          actor: entry.actor,
          reason: entry.reason,
          at: new Date(entry.at),
        })),
      };
    });
  }
}
