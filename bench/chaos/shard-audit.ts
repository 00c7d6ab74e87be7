import { Pool } from 'pg';
import { ShardRouter, type ShardMap } from '@eos/sharding';
import type { CheckoutAttempt } from './steady-load';

/** What the user shard holds for one checkout attempt's idempotency key. */
export interface CommittedCheckout {
  readonly orderId: string;
  readonly merchantId: string;
  readonly version: number;
  readonly status: string;
  /** The order row exists (the key names an order that was written). */
  readonly hasOrder: boolean;
  /** At least one order line exists. */
  readonly hasLines: boolean;
  /** Its outbox rows: event id, when written (epoch ms), whether the relay marked it sent. */
  readonly events: readonly {
    readonly eventId: string;
    readonly createdAt: number;
    readonly published: boolean;
  }[];
}

interface CommittedRow {
  user_id: string;
  key: string;
  order_id: string;
  merchant_id: string | null;
  version: number | null;
  status: string | null;
  has_lines: boolean;
  events: { event_id: string; created_at: string; published: boolean }[] | null;
}

export function attemptKey(attempt: Pick<CheckoutAttempt, 'userId' | 'idempotencyKey'>): string {
  return `${attempt.userId}:${attempt.idempotencyKey}`;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group) group.push(item);
    else groups.set(name, [item]);
  }
  return groups;
}

/**
 * Reads, straight from the shard databases (no proxy), what the apps really committed: the
 * suite's ground truth for lost orders, half-written checkouts, expected events and the merchant
 * projection. Schemas come from the shard router, as in the apps.
 */
export class ShardAudit {
  private readonly router: ShardRouter;
  private readonly pools = new Map<string, Pool>();

  constructor(map: ShardMap) {
    this.router = new ShardRouter(map);
    for (const [database, url] of Object.entries(map.databases)) {
      const pool = new Pool({
        connectionString: url,
        max: 2,
        connectionTimeoutMillis: 5000,
        statement_timeout: 30_000,
      });
      pool.on('error', () => undefined);
      this.pools.set(database, pool);
    }
  }

  /** Every attempt's committed checkout, by attemptKey(); attempts that committed nothing are absent. */
  async committed(attempts: readonly CheckoutAttempt[]): Promise<Map<string, CommittedCheckout>> {
    const found = new Map<string, CommittedCheckout>();
    const byShard = groupBy(attempts, (attempt) => String(this.router.userShard(attempt.userId)));
    for (const [shard, group] of byShard) {
      const route = this.router.routeUserShard(Number(shard));
      const { rows } = await this.pool(route.database).query<CommittedRow>(
        `SELECT k.user_id::text, k.key, k.order_id::text, o.merchant_id::text, o.version, o.status,
                EXISTS (SELECT 1 FROM ${route.schema}.order_items i WHERE i.order_id = k.order_id) AS has_lines,
                (SELECT json_agg(json_build_object('event_id', b.event_id, 'created_at', b.created_at, 'published', b.published_at IS NOT NULL))
                   FROM ${route.schema}.outbox b WHERE b.order_id = k.order_id) AS events
           FROM unnest($1::bigint[], $2::text[]) AS q(user_id, key)
           JOIN ${route.schema}.idempotency_keys k ON k.user_id = q.user_id AND k.key = q.key
           LEFT JOIN ${route.schema}.orders o ON o.id = k.order_id`,
        [group.map((attempt) => attempt.userId), group.map((attempt) => attempt.idempotencyKey)],
      );
      for (const row of rows) {
        found.set(`${row.user_id}:${row.key}`, {
          orderId: row.order_id,
          merchantId: row.merchant_id ?? '',
          version: row.version ?? 0,
          status: row.status ?? '',
          hasOrder: row.merchant_id !== null,
          hasLines: row.has_lines,
          events: (row.events ?? []).map((event) => ({
            eventId: event.event_id,
            createdAt: Date.parse(event.created_at),
            published: event.published,
          })),
        });
      }
    }
    return found;
  }

  /** The merchant dimension's version of each order, where the projector has stored it. */
  async projectedVersions(orders: readonly CommittedCheckout[]): Promise<Map<string, number>> {
    const versions = new Map<string, number>();
    const withMerchant = orders.filter((order) => order.hasOrder);
    const byShard = groupBy(withMerchant, (order) => String(this.router.merchantShard(order.merchantId)));
    for (const [shard, group] of byShard) {
      const route = this.router.routeMerchantShard(Number(shard));
      const { rows } = await this.pool(route.database).query<{ order_id: string; version: number }>(
        `SELECT order_id::text, version FROM ${route.schema}.merchant_orders WHERE order_id = ANY($1::bigint[])`,
        [group.map((order) => order.orderId)],
      );
      for (const row of rows) versions.set(row.order_id, row.version);
    }
    return versions;
  }

  /**
   * Changes the merchant dimension recorded more than once for the same order version. The feed's
   * trigger appends one entry each time the projector stores a newer version of an order, so an
   * event the projector applied twice would show here (CREATED itself is never a feed entry).
   */
  async feedDuplicates(orders: readonly CommittedCheckout[]): Promise<number> {
    let duplicates = 0;
    const withMerchant = orders.filter((order) => order.hasOrder);
    const byShard = groupBy(withMerchant, (order) => String(this.router.merchantShard(order.merchantId)));
    for (const [shard, group] of byShard) {
      const route = this.router.routeMerchantShard(Number(shard));
      const { rows } = await this.pool(route.database).query<{ extra: string }>(
        `SELECT coalesce(sum(n - 1), 0)::text AS extra FROM (
           SELECT count(*) AS n FROM ${route.schema}.merchant_order_changes
            WHERE order_id = ANY($1::bigint[]) GROUP BY order_id, version) AS entries`,
        [group.map((order) => order.orderId)],
      );
      duplicates += Number(rows[0]?.extra ?? 0);
    }
    return duplicates;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.end()));
  }

  private pool(database: string): Pool {
    const pool = this.pools.get(database);
    if (!pool) throw new Error(`no pool for ${database}`);
    return pool;
  }
}
