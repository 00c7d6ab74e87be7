import { Order, OrderStatus } from '@eos/domain';
import { ShardRoute, ShardRouter, schemasOn } from '@eos/sharding';
import { OrderRow, orderFromRow, orderSelect } from '../orders/order.row';
import { ShardDataSources } from '../shards/shard-data-sources';
import { onShard } from '../shards/shard-failure';

/** Who an order is assigned to; `exists` false when there is no such order at all. */
export interface AssignmentLookup {
  readonly exists: boolean;
  readonly deliveryPartnerId: string | null;
}

export type AssignOutcome =
  | { readonly kind: 'assigned' }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'not-dispatchable'; readonly status: OrderStatus };

export interface AssignedOrdersQuery {
  readonly status?: OrderStatus;
  /** Keyset cursor: only orders with a smaller (older) id. */
  readonly beforeId?: string;
  readonly limit: number;
}

export interface DeliveryExceptionWrite {
  readonly orderId: string;
  readonly deliveryPartnerId: string;
  readonly kind: string;
  readonly note: string | null;
  readonly at: Date;
}

export interface RecordedDeliveryException {
  readonly id: string;
  readonly reportedAt: Date;
}

/** Delivery assignments and exception reports on the orders' user shards. */
export class DeliveryAssignmentRepository {
  constructor(
    private readonly sources: ShardDataSources,
    private readonly router: ShardRouter,
  ) {}

  /**
   * Assigns (or re-assigns) an order to a delivery partner while its status is one of
   * `dispatchable`, checked on the row in the same statement.
   */
  async assign(
    orderId: string,
    deliveryPartnerId: string,
    at: Date,
    dispatchable: readonly OrderStatus[],
  ): Promise<AssignOutcome> {
    const route = this.router.routeOrder(orderId);
    const schema = route.schema;
    return onShard(route.database, async () => {
      const rows: { status: string | null; assigned: number }[] = await this.sources
        .get(route.database)
        .query(
          `WITH target AS (
  SELECT id, status FROM ${schema}.orders WHERE id = $1::bigint FOR UPDATE
), assigned AS (
  INSERT INTO ${schema}.delivery_assignments AS a (order_id, delivery_partner_id, assigned_at)
  SELECT id, $2::bigint, $3::timestamptz FROM target WHERE status = ANY($4::text[])
  ON CONFLICT (order_id) DO UPDATE SET delivery_partner_id = EXCLUDED.delivery_partner_id, assigned_at = EXCLUDED.assigned_at
  RETURNING order_id
)
SELECT (SELECT status FROM target) AS status, (SELECT count(*)::int FROM assigned) AS assigned`,
          [orderId, deliveryPartnerId, at.toISOString(), dispatchable],
        );
      const row = rows[0];
      if (row.status === null) return { kind: 'not-found' };
      if (row.assigned === 0) return { kind: 'not-dispatchable', status: row.status as OrderStatus };
      return { kind: 'assigned' };
    });
  }

  async lookup(orderId: string): Promise<AssignmentLookup> {
    const route = this.router.routeOrder(orderId);
    return onShard(route.database, async () => {
      const rows: { delivery_partner_id: string | null }[] = await this.sources.get(route.database).query(
        `SELECT a.delivery_partner_id::text AS delivery_partner_id
         FROM ${route.schema}.orders o LEFT JOIN ${route.schema}.delivery_assignments a ON a.order_id = o.id
         WHERE o.id = $1`,
        [orderId],
      );
      return rows[0]
        ? { exists: true, deliveryPartnerId: rows[0].delivery_partner_id }
        : { exists: false, deliveryPartnerId: null };
    });
  }

  /**
   * The partner's orders, newest first, by keyset on the time-ordered id. First the ids: every
   * user shard's partner index gives its newest `limit`, one statement per physical database,
   * kept simple because Postgres plans each of its 60-odd branches on every call; the merge keeps
   * the newest `limit`. Then the orders themselves, from only the shards that hold them.
   */
  async listForPartner(deliveryPartnerId: string, query: AssignedOrdersQuery): Promise<Order[]> {
    const perDatabase = await Promise.all(
      this.router.databases().map((database) => this.assignedIdsOn(database, deliveryPartnerId, query)),
    );
    const newest = perDatabase
      .flat()
      .sort((a, b) => (b > a ? 1 : b < a ? -1 : 0))
      .slice(0, query.limit)
      .map(String);
    const orders = await this.ordersByIds(newest);
    return newest.flatMap((id) => orders.get(id) ?? []);
  }

  private async assignedIdsOn(
    database: string,
    deliveryPartnerId: string,
    query: AssignedOrdersQuery,
  ): Promise<bigint[]> {
    const schemas = schemasOn(this.router.map, database).user;
    if (schemas.length === 0) return [];
    const params: unknown[] = [deliveryPartnerId, query.limit];
    let where = 'a.delivery_partner_id = $1::bigint';
    if (query.beforeId !== undefined) {
      params.push(query.beforeId);
      where += ` AND a.order_id < $${params.length}::bigint`;
    }
    if (query.status !== undefined) {
      params.push(query.status);
      where += ` AND o.status = $${params.length}::text`;
    }
    const text = schemas
      .map((schema) => {
        const join = query.status === undefined ? '' : ` JOIN ${schema}.orders o ON o.id = a.order_id`;
        return `(SELECT a.order_id::text AS order_id FROM ${schema}.delivery_assignments a${join}
  WHERE ${where} ORDER BY a.order_id DESC LIMIT $2)`;
      })
      .join('\nUNION ALL\n');
    return onShard(database, async () => {
      const rows: { order_id: string }[] = await this.sources.get(database).query(text, params);
      return rows.map((row) => BigInt(row.order_id));
    });
  }

  /** Full orders by id, one statement per database over just the shards involved. */
  private async ordersByIds(orderIds: readonly string[]): Promise<Map<string, Order>> {
    const bySchema = new Map<string, { database: string; ids: string[] }>();
    for (const id of orderIds) {
      const route = this.router.routeOrder(id);
      const entry = bySchema.get(route.schema) ?? { database: route.database, ids: [] };
      entry.ids.push(id);
      bySchema.set(route.schema, entry);
    }
    const byDatabase = new Map<string, { schema: string; ids: string[] }[]>();
    for (const [schema, { database, ids }] of bySchema) {
      byDatabase.set(database, [...(byDatabase.get(database) ?? []), { schema, ids }]);
    }
    const found = new Map<string, Order>();
    await Promise.all(
      [...byDatabase].map(([database, shards]) =>
        onShard(database, async () => {
          const params: unknown[] = [];
          const text = shards
            .map(({ schema, ids }) => {
              params.push(ids);
              return `(${orderSelect(schema)} WHERE o.id = ANY($${params.length}::bigint[]))`;
            })
            .join('\nUNION ALL\n');
          const rows: OrderRow[] = await this.sources.get(database).query(text, params);
          for (const row of rows) found.set(row.id, orderFromRow(row));
        }),
      ),
    );
    return found;
  }

  /** Records a rider's report, only while the order is assigned to the reporting partner. */
  async recordException(write: DeliveryExceptionWrite): Promise<RecordedDeliveryException | null> {
    const route: ShardRoute = this.router.routeOrder(write.orderId);
    return onShard(route.database, async () => {
      const rows: { id: string; reported_at: Date }[] = await this.sources.get(route.database).query(
        `INSERT INTO ${route.schema}.delivery_exceptions (order_id, delivery_partner_id, kind, note, reported_at)
         SELECT a.order_id, a.delivery_partner_id, $3::text, $4::text, $5::timestamptz
         FROM ${route.schema}.delivery_assignments a
         WHERE a.order_id = $1::bigint AND a.delivery_partner_id = $2::bigint
         RETURNING id::text AS id, reported_at`,
        [write.orderId, write.deliveryPartnerId, write.kind, write.note, write.at.toISOString()],
      );
      return rows[0] ? { id: rows[0].id, reportedAt: rows[0].reported_at } : null;
    });
  }
}
