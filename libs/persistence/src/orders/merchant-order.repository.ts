import type { OrderEventPayload, OrderStatus } from '@eos/domain';
import type { ShardRoute, ShardRouter } from '@eos/sharding';
import type { ShardDataSources } from '../shards/shard-data-sources';
import { runPrepared } from '../shards/prepared-statement';
import { onShard } from '../shards/shard-failure';

/** An order as the merchant dimension holds it: a read model kept from order events. */
export interface MerchantOrder {
  readonly orderId: string;
  readonly merchantId: string;
  readonly userId: string;
  readonly kind: string;
  readonly status: OrderStatus;
  readonly totalCents: number;
  readonly currency: string;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface MerchantListQuery {
  readonly status?: OrderStatus;
  /** Keyset cursor: only orders with a smaller (older) id. */
  readonly beforeId?: string;
  readonly limit: number;
}

/** `applied` changed the row; `stale` found the same or a newer version already there. */
export type ProjectionOutcome = 'applied' | 'stale';

interface MerchantOrderRow {
  order_id: string;
  merchant_id: string;
  user_id: string;
  kind: string;
  status: string;
  total_cents: string;
  currency: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `order_id::text AS order_id, merchant_id::text AS merchant_id, user_id::text AS user_id, kind, status,
  total_cents, currency, version, created_at, updated_at`;

const UPSERT_COLUMNS =
  'order_id, merchant_id, user_id, kind, status, total_cents, currency, version, created_at, updated_at';
const UPDATE_SET = `status = EXCLUDED.status, kind = EXCLUDED.kind, total_cents = EXCLUDED.total_cents,
  currency = EXCLUDED.currency, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`;

export function merchantOrderFromRow(row: MerchantOrderRow): MerchantOrder {
  return {
    orderId: row.order_id,
    merchantId: row.merchant_id,
    userId: row.user_id,
    kind: row.kind,
    status: row.status as OrderStatus,
    totalCents: Number(row.total_cents),
    currency: row.currency,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Orders in the merchant dimension, routed by merchant id. Written only from order events (and by
 * reconciliation from the user dimension, the source of truth); read by merchant-facing queries.
 */
export class MerchantOrderRepository {
  constructor(
    private readonly sources: ShardDataSources,
    private readonly router: ShardRouter,
  ) {}

  /**
   * Applies an order event's state to the merchant's row, only if its version is newer than the
   * row's: a redelivered or late (older) event changes nothing, whatever the arrival order.
   */
  async applyEvent(payload: OrderEventPayload): Promise<ProjectionOutcome> {
    const route = this.router.routeMerchant(payload.merchantId);
    return onShard(route.database, async () => {
      // One per order event: prepared per schema, so Postgres plans the upsert once per connection.
      const rows = await runPrepared(this.sources.get(route.database), {
        name: `eos_project_merchant_order_${route.schema}`,
        text: `INSERT INTO ${route.schema}.merchant_orders AS m (${UPSERT_COLUMNS})
         VALUES ($1::bigint, $2::bigint, $3::bigint, $4, $5, $6::bigint, $7, $8::int, $9::timestamptz, $10::timestamptz)
         ON CONFLICT (order_id) DO UPDATE SET ${UPDATE_SET}
         WHERE m.version < EXCLUDED.version
         RETURNING order_id`,
        values: [
          payload.orderId,
          payload.merchantId,
          payload.userId,
          payload.kind,
          payload.status,
          payload.totalCents,
          payload.currency,
          payload.version,
          payload.createdAt,
          payload.updatedAt,
        ],
      });
      return rows.length === 1 ? 'applied' : 'stale';
    });
  }

  /** A merchant's orders, newest first, by keyset on the time-ordered order id. */
  async listForMerchant(merchantId: string, query: MerchantListQuery): Promise<MerchantOrder[]> {
    const route = this.router.routeMerchant(merchantId);
    const params: unknown[] = [merchantId];
    let where = 'merchant_id = $1';
    if (query.status) {
      params.push(query.status);
      where += ` AND status = $${params.length}`;
    }
    if (query.beforeId) {
      params.push(query.beforeId);
      where += ` AND order_id < $${params.length}::bigint`;
    }
    params.push(query.limit);
    return onShard(route.database, async () => {
      const rows: MerchantOrderRow[] = await this.sources
        .get(route.database)
        .query(
          `SELECT ${COLUMNS} FROM ${route.schema}.merchant_orders mo WHERE ${where} ORDER BY mo.order_id DESC LIMIT $${params.length}`,
          params,
        );
      return rows.map(merchantOrderFromRow);
    });
  }

  /** The rows of `orderIds` found on one merchant shard. */
  async findOnShard(route: ShardRoute, orderIds: readonly string[]): Promise<MerchantOrder[]> {
    if (orderIds.length === 0) return [];
    const rows: MerchantOrderRow[] = await this.sources
      .get(route.database)
      .query(`SELECT ${COLUMNS} FROM ${route.schema}.merchant_orders WHERE order_id = ANY($1::bigint[])`, [
        orderIds,
      ]);
    return rows.map(merchantOrderFromRow);
  }

  /** One page of a merchant shard's rows with ids in [fromId, toId), after `afterId`, by id. */
  async pageOnShard(
    route: ShardRoute,
    range: { readonly fromId: bigint; readonly toId: bigint },
    afterId: string | null,
    limit: number,
  ): Promise<MerchantOrder[]> {
    const rows: MerchantOrderRow[] = await this.sources.get(route.database).query(
      // Ordered by the qualified column: a bare `order_id` would sort the text alias of COLUMNS.
      `SELECT ${COLUMNS} FROM ${route.schema}.merchant_orders mo
       WHERE order_id >= $1::bigint AND order_id < $2::bigint AND order_id > $3::bigint
       ORDER BY mo.order_id LIMIT $4`,
      [range.fromId.toString(), range.toId.toString(), afterId ?? '0', limit],
    );
    return rows.map(merchantOrderFromRow);
  }

  /**
   * Writes rows taken from the user dimension (reconciliation repair) unless the merchant shard
   * already holds a newer version (the projector got there meanwhile). Returns the rows written.
   */
  async overwriteFromSource(route: ShardRoute, orders: readonly MerchantOrder[]): Promise<number> {
    if (orders.length === 0) return 0;
    const rows: unknown[] = await this.sources.get(route.database).query(
      `INSERT INTO ${route.schema}.merchant_orders AS m (${UPSERT_COLUMNS})
       SELECT r.order_id, r.merchant_id, r.user_id, r.kind, r.status, r.total_cents, r.currency, r.version,
         r.created_at, r.updated_at
       FROM jsonb_to_recordset($1::jsonb) AS r(order_id bigint, merchant_id bigint, user_id bigint, kind text,
         status text, total_cents bigint, currency text, version integer, created_at timestamptz, updated_at timestamptz)
       ON CONFLICT (order_id) DO UPDATE SET ${UPDATE_SET}
       WHERE m.version <= EXCLUDED.version
       RETURNING order_id`,
      [
        JSON.stringify(
          orders.map((order) => ({
            order_id: order.orderId,
            merchant_id: order.merchantId,
            user_id: order.userId,
            kind: order.kind,
            status: order.status,
            total_cents: order.totalCents,
            currency: order.currency,
            version: order.version,
            created_at: order.createdAt.toISOString(),
            updated_at: order.updatedAt.toISOString(),
          })),
        ),
      ],
    );
    return rows.length;
  }

  /** Deletes rows whose order does not exist in the user dimension (reconciliation repair). */
  async deleteOnShard(route: ShardRoute, orderIds: readonly string[]): Promise<number> {
    if (orderIds.length === 0) return 0;
    const rows: unknown[] = await this.sources.get(route.database).query(
      // Wrapped in a SELECT: for a bare DELETE, TypeORM returns [rows, count] instead of rows.
      `WITH gone AS (DELETE FROM ${route.schema}.merchant_orders WHERE order_id = ANY($1::bigint[]) RETURNING order_id)
         SELECT order_id FROM gone`,
      [orderIds],
    );
    return rows.length;
  }
}
