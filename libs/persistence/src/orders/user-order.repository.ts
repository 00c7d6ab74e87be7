import { SpanKind, currentTraceparent, isTracing, withSpan } from '@eos/common';
import { Order, OrderKind, OrderStatus } from '@eos/domain';
import { ShardRouter, type ShardRoute } from '@eos/sharding';
import { ShardDataSources } from '../shards/shard-data-sources';
import { onShard } from '../shards/shard-failure';
import { runPrepared } from '../shards/prepared-statement';
import { CheckoutWrite, checkoutQuery } from './checkout.sql';
import { OrderRow, orderFromRow, orderSelect } from './order.row';

export type CheckoutOutcome = { readonly created: true } | { readonly created: false };

export interface IdempotencyRecord {
  readonly orderId: string;
  readonly requestHash: string;
}

export interface ListQuery {
  readonly status?: OrderStatus;
  readonly kind?: OrderKind;
  /** Keyset cursor: only orders with a smaller (older) id. */
  readonly beforeId?: string;
  readonly limit: number;
}

/** Orders in the user dimension, the source of truth. Every call lands on the caller's own shard. */
export class UserOrderRepository {
  constructor(
    private readonly sources: ShardDataSources,
    private readonly router: ShardRouter,
  ) {}

  async insertCheckout(write: CheckoutWrite): Promise<CheckoutOutcome> {
    const route = this.router.routeUser(write.order.userId);
    // The hot path: while tracing is off, the write alone, with a null trace context.
    if (!isTracing()) return this.writeCheckout(route, write, null);
    const attributes = {
      'db.system.name': 'postgresql',
      'db.namespace': route.database,
      'db.operation.name': 'checkout',
      'eos.shard': route.schema,
    };
    // The outbox row keeps this span's context: the relay's publish continues the trace.
    return withSpan('checkout INSERT', { kind: SpanKind.CLIENT, attributes }, () =>
      this.writeCheckout(route, write, currentTraceparent()),
    );
  }

  private writeCheckout(
    route: ShardRoute,
    write: CheckoutWrite,
    traceContext: string | null,
  ): Promise<CheckoutOutcome> {
    return onShard(route.database, async () => {
      const rows = await runPrepared<{ order_id: string }>(
        this.sources.get(route.database),
        checkoutQuery(route.schema, write, traceContext),
      );
      return { created: rows.length === 1 };
    });
  }

  async findIdempotency(userId: string, key: string): Promise<IdempotencyRecord | null> {
    const route = this.router.routeUser(userId);
    return onShard(route.database, async () => {
      const rows: { order_id: string; request_hash: string }[] = await this.sources.get(route.database).query(
        `SELECT order_id::text AS order_id, request_hash FROM ${route.schema}.idempotency_keys
           WHERE user_id = $1 AND key = $2`,
        [userId, key],
      );
      return rows[0] ? { orderId: rows[0].order_id, requestHash: rows[0].request_hash } : null;
    });
  }

  /** The order if it belongs to `userId`; another user's order is indistinguishable from none. */
  async findForUser(orderId: string, userId: string): Promise<Order | null> {
    const route = this.router.routeOrder(orderId);
    if (route.shard !== this.router.userShard(userId)) return null;
    return onShard(route.database, async () => {
      const rows: OrderRow[] = await this.sources
        .get(route.database)
        .query(`${orderSelect(route.schema)} WHERE o.id = $1 AND o.user_id = $2`, [orderId, userId]);
      return rows[0] ? orderFromRow(rows[0]) : null;
    });
  }

  /** Newest first, by keyset on the time-ordered id. */
  async listForUser(userId: string, query: ListQuery): Promise<Order[]> {
    const route = this.router.routeUser(userId);
    const params: unknown[] = [userId];
    let where = 'o.user_id = $1';
    if (query.status) {
      params.push(query.status);
      where += ` AND o.status = $${params.length}`;
    }
    if (query.kind) {
      params.push(query.kind);
      where += ` AND o.kind = $${params.length}`;
    }
    if (query.beforeId) {
      params.push(query.beforeId);
      where += ` AND o.id < $${params.length}`;
    }
    params.push(query.limit);
    // The first page of "my orders" is the most frequent read: prepared per schema and filter
    // combination, so Postgres plans it once per connection rather than on every call.
    const variant = `${query.status ? 's' : ''}${query.kind ? 'k' : ''}${query.beforeId ? 'b' : ''}`;
    return onShard(route.database, async () => {
      const rows = await runPrepared<OrderRow>(this.sources.get(route.database), {
        name: `eos_my_orders_${route.schema}_${variant}`,
        text: `${orderSelect(route.schema)} WHERE ${where} ORDER BY o.id DESC LIMIT $${params.length}`,
        values: params,
      });
      return rows.map(orderFromRow);
    });
  }
}
