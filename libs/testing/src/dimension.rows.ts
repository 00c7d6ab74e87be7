import { MerchantOrderRepository, ShardDataSources, type MerchantOrder } from '@eos/persistence';
import { ShardRouter, shardOfOrderId } from '@eos/sharding';

function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k) ?? [];
    group.push(item);
    groups.set(k, group);
  }
  return groups;
}

/** Outbox rows of `orderIds` still unsent, over every user shard involved. */
export async function unsentOutboxRows(
  sources: ShardDataSources,
  router: ShardRouter,
  orderIds: readonly string[],
): Promise<number> {
  let unsent = 0;
  for (const [shard, ids] of groupBy(orderIds, (id) => shardOfOrderId(id))) {
    const route = router.routeUserShard(shard);
    const rows: { n: number }[] = await sources
      .get(route.database)
      .query(
        `SELECT count(*)::int AS n FROM ${route.schema}.outbox WHERE order_id = ANY($1::bigint[]) AND published_at IS NULL`,
        [ids],
      );
    unsent += rows[0].n;
  }
  return unsent;
}

/** The earliest time any outbox row of `orderIds` was marked published (null: none was). */
export async function firstPublishedAt(
  sources: ShardDataSources,
  router: ShardRouter,
  orderIds: readonly string[],
): Promise<Date | null> {
  let first: Date | null = null;
  for (const [shard, ids] of groupBy(orderIds, (id) => shardOfOrderId(id))) {
    const route = router.routeUserShard(shard);
    const rows: { at: Date | null }[] = await sources
      .get(route.database)
      .query(
        `SELECT min(published_at) AS at FROM ${route.schema}.outbox WHERE order_id = ANY($1::bigint[])`,
        [ids],
      );
    const at = rows[0].at;
    if (at && (!first || at < first)) first = at;
  }
  return first;
}

/** The merchant-dimension rows of these orders, by order id. */
export async function merchantRowsOf(
  sources: ShardDataSources,
  router: ShardRouter,
  orders: readonly { readonly id: string; readonly merchantId: string }[],
): Promise<Map<string, MerchantOrder>> {
  const repository = new MerchantOrderRepository(sources, router);
  const found = new Map<string, MerchantOrder>();
  for (const [shard, group] of groupBy(orders, (order) => router.merchantShard(order.merchantId))) {
    for (const row of await repository.findOnShard(
      router.routeMerchantShard(shard),
      group.map((order) => order.id),
    )) {
      found.set(row.orderId, row);
    }
  }
  return found;
}

/** Postgres' row version (xmin) of merchant rows: it changes whenever a row is rewritten. */
export async function merchantRowVersions(
  sources: ShardDataSources,
  router: ShardRouter,
  orders: readonly { readonly id: string; readonly merchantId: string }[],
): Promise<Map<string, string>> {
  const versions = new Map<string, string>();
  for (const [shard, group] of groupBy(orders, (order) => router.merchantShard(order.merchantId))) {
    const route = router.routeMerchantShard(shard);
    const rows: { id: string; xmin: string }[] = await sources
      .get(route.database)
      .query(
        `SELECT order_id::text AS id, xmin::text AS xmin FROM ${route.schema}.merchant_orders WHERE order_id = ANY($1::bigint[])`,
        [group.map((order) => order.id)],
      );
    for (const row of rows) versions.set(row.id, row.xmin);
  }
  return versions;
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns its last answer. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 250,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
