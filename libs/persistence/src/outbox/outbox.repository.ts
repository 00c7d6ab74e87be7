import type { ShardRoute } from '@eos/sharding';

/** Anything that runs SQL: a DataSource (autocommit) or a transaction's EntityManager. */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** One unsent outbox row, as the relay publishes it. */
export interface OutboxRow {
  /** Logical user shard the row lives on. */
  readonly shard: number;
  readonly id: string;
  readonly eventId: string;
  readonly orderId: string;
  readonly eventType: string;
  readonly orderVersion: number;
  readonly payload: unknown;
  /** Written in the same transaction as the change it describes. */
  readonly createdAt: Date;
  /** The writer's `traceparent`, when it was tracing: the publish continues that trace. */
  readonly traceContext?: string | null;
}

/** Unsent rows of one shard and the age of the oldest, in seconds (0 when none is waiting). */
export interface ShardBacklog {
  readonly unsent: number;
  readonly oldestAgeSeconds: number;
}

/** Advisory-lock class of the relay: the lock (RELAY_LOCK_CLASS, shard) is one shard's relay. */
const RELAY_LOCK_CLASS = 727_002;

interface ClaimedRow {
  shard: number;
  id: string;
  event_id: string;
  order_id: string;
  event_type: string;
  order_version: number;
  payload: unknown;
  created_at: Date;
  trace_context: string | null;
}

/**
 * The outbox tables of the user shards: finding, claiming, marking and pruning rows. Every method
 * takes the runner it must use; those that are part of the relay's transaction take its manager.
 * Schema names come from ShardRoute (the router), never from input.
 */
export class OutboxRepository {
  /**
   * Which of `routes` (all on one database) hold unsent rows, in one round trip: an EXISTS probe
   * per schema on the partial index of unsent rows. Rows of `heldTypes` do not count.
   */
  async shardsWithUnsent(
    db: SqlRunner,
    routes: readonly ShardRoute[],
    heldTypes: readonly string[],
  ): Promise<number[]> {
    if (routes.length === 0) return [];
    const held = heldTypes.length > 0 ? ' AND event_type <> ALL($1::text[])' : '';
    const sql = routes
      .map(
        (route) =>
          `SELECT ${route.shard} AS shard WHERE EXISTS (SELECT 1 FROM ${route.schema}.outbox WHERE published_at IS NULL${held})`,
      )
      .join('\nUNION ALL\n');
    const rows = (await db.query(sql, heldTypes.length > 0 ? [heldTypes] : [])) as { shard: number }[];
    return rows.map((row) => row.shard);
  }

  /**
   * Takes the relay lock of each shard it can, for the rest of `tx`, and returns those it got.
   * A shard whose lock another relay holds is being published by that relay right now.
   */
  async lockShards(tx: SqlRunner, shards: readonly number[]): Promise<number[]> {
    if (shards.length === 0) return [];
    const rows = (await tx.query(
      'SELECT s AS shard FROM unnest($1::int[]) AS s WHERE pg_try_advisory_xact_lock($2, s)',
      [shards, RELAY_LOCK_CLASS],
    )) as { shard: number }[];
    return rows.map((row) => row.shard);
  }

  /**
   * Locks and returns up to `perShardLimit` unsent rows of each shard, oldest id first, within
   * `tx` (call it with the shards' relay locks held).
   *
   * Why this never skips a row: a row whose transaction has not committed yet is invisible here,
   * but nothing remembers a position past it. The relay takes "every unsent row", not "rows after
   * the last id seen", so a row that commits late (its id was drawn before a row that committed
   * first) is simply taken by a later pass. SKIP LOCKED only steps over rows another transaction
   * has locked; the relay lock makes that another relay's batch, already being published.
   *
   * Held event types stay unsent, and so does every later row of an order that has a held row:
   * an order's events are published in order or not at all.
   */
  async claim(
    tx: SqlRunner,
    routes: readonly ShardRoute[],
    perShardLimit: number,
    heldTypes: readonly string[],
  ): Promise<OutboxRow[]> {
    if (routes.length === 0) return [];
    const holding = heldTypes.length > 0;
    const ctes: string[] = [];
    routes.forEach((route, i) => {
      let filter = '';
      if (holding) {
        ctes.push(`held${i} AS MATERIALIZED (
  SELECT order_id, min(id) AS first_id FROM ${route.schema}.outbox
  WHERE published_at IS NULL AND event_type = ANY($2::text[]) GROUP BY order_id)`);
        filter = ` AND o.event_type <> ALL($2::text[])
    AND NOT EXISTS (SELECT 1 FROM held${i} h WHERE h.order_id = o.order_id AND h.first_id < o.id)`;
      }
      ctes.push(`c${i} AS (
  SELECT ${route.shard} AS shard, o.id::text AS id, o.event_id::text AS event_id, o.order_id::text AS order_id,
    o.event_type, o.order_version, o.payload, o.created_at, o.trace_context
  FROM ${route.schema}.outbox o
  WHERE o.published_at IS NULL${filter}
  ORDER BY o.id LIMIT $1 FOR UPDATE OF o SKIP LOCKED)`);
    });
    const union = routes.map((_, i) => `SELECT * FROM c${i}`).join(' UNION ALL ');
    const rows = (await tx.query(
      `WITH ${ctes.join(',\n')}\n${union}`,
      holding ? [perShardLimit, heldTypes] : [perShardLimit],
    )) as ClaimedRow[];
    return rows.map((row) => ({
      shard: row.shard,
      id: row.id,
      eventId: row.event_id,
      orderId: row.order_id,
      eventType: row.event_type,
      orderVersion: row.order_version,
      payload: row.payload,
      createdAt: row.created_at,
      traceContext: row.trace_context,
    }));
  }

  /** Marks rows sent, within the relay's transaction; one statement for every shard. */
  async markPublished(tx: SqlRunner, published: ReadonlyMap<ShardRoute, readonly string[]>): Promise<void> {
    const entries = [...published.entries()].filter(([, ids]) => ids.length > 0);
    if (entries.length === 0) return;
    const ctes = entries.map(
      ([route], i) =>
        `m${i} AS (UPDATE ${route.schema}.outbox SET published_at = clock_timestamp() WHERE id = ANY($${i + 1}::bigint[]))`,
    );
    await tx.query(
      `WITH ${ctes.join(',\n')} SELECT 1`,
      entries.map(([, ids]) => ids),
    );
  }

  /**
   * Deletes up to `limit` rows of one shard published before `publishedBefore`. It looks only at
   * the oldest `limit` published rows (primary-key order, which is about publish order), so a pass
   * that finds nothing old enough costs one short index scan whatever the table's size.
   */
  async prune(db: SqlRunner, route: ShardRoute, publishedBefore: Date, limit: number): Promise<number> {
    const rows = (await db.query(
      `WITH head AS (
  SELECT id, published_at FROM ${route.schema}.outbox WHERE published_at IS NOT NULL ORDER BY id LIMIT $2
), gone AS (
  DELETE FROM ${route.schema}.outbox o USING head
  WHERE o.id = head.id AND head.published_at < $1
  RETURNING 1
)
SELECT count(*)::int AS deleted FROM gone`,
      [publishedBefore, limit],
    )) as { deleted: number }[];
    return rows[0]?.deleted ?? 0;
  }

  /**
   * Per shard of `routes` (all on one database): unsent rows, and how long the oldest has waited
   * (the relay's lag, which keeps growing while it is stuck, unlike a histogram of what it sent).
   * Both are read on the partial index of unsent rows; the oldest is the lowest unsent id.
   */
  async unsentByShard(db: SqlRunner, routes: readonly ShardRoute[]): Promise<Map<number, ShardBacklog>> {
    const backlog = new Map<number, ShardBacklog>();
    if (routes.length === 0) return backlog;
    const sql = routes
      .map(
        (route) => `SELECT ${route.shard} AS shard,
  (SELECT count(*) FROM ${route.schema}.outbox WHERE published_at IS NULL)::int AS unsent,
  COALESCE(extract(epoch FROM clock_timestamp() - (SELECT created_at FROM ${route.schema}.outbox
    WHERE published_at IS NULL ORDER BY id LIMIT 1)), 0)::float8 AS oldest_age`,
      )
      .join('\nUNION ALL\n');
    const rows = (await db.query(sql)) as { shard: number; unsent: number; oldest_age: number }[];
    for (const row of rows) {
      backlog.set(row.shard, { unsent: row.unsent, oldestAgeSeconds: Math.max(0, row.oldest_age) });
    }
    return backlog;
  }
}
