import { ShardDataSources } from '@eos/persistence';
import { schemasOn, ShardMap } from '@eos/sharding';

/**
 * Every row in any user shard of any database that belongs to `userId`: orders, their lines,
 * history and outbox rows, and idempotency keys. Scoped to one user so tests can run beside load.
 */
export async function countRowsOfUser(
  map: ShardMap,
  sources: ShardDataSources,
  userId: string,
): Promise<Record<string, number>> {
  const totals: Record<string, number> = {
    orders: 0,
    order_items: 0,
    order_status_history: 0,
    outbox: 0,
    idempotency_keys: 0,
  };
  for (const [database, source] of sources.entries()) {
    const { user } = schemasOn(map, database);
    const parts = user.map(
      (schema) => `SELECT
        (SELECT count(*) FROM ${schema}.orders WHERE user_id = $1) AS orders,
        (SELECT count(*) FROM ${schema}.order_items i JOIN ${schema}.orders o ON o.id = i.order_id WHERE o.user_id = $1) AS order_items,
        (SELECT count(*) FROM ${schema}.order_status_history h JOIN ${schema}.orders o ON o.id = h.order_id WHERE o.user_id = $1) AS order_status_history,
        (SELECT count(*) FROM ${schema}.outbox WHERE payload->>'userId' = $1::text) AS outbox,
        (SELECT count(*) FROM ${schema}.idempotency_keys WHERE user_id = $1) AS idempotency_keys`,
    );
    const rows: Record<string, string>[] = await source.query(
      `SELECT sum(orders)::int AS orders, sum(order_items)::int AS order_items,
        sum(order_status_history)::int AS order_status_history, sum(outbox)::int AS outbox,
        sum(idempotency_keys)::int AS idempotency_keys FROM (${parts.join(' UNION ALL ')}) AS counts`,
      [userId],
    );
    for (const key of Object.keys(totals)) totals[key] += Number(rows[0][key]);
  }
  return totals;
}

export const NO_ROWS = { orders: 0, order_items: 0, order_status_history: 0, outbox: 0, idempotency_keys: 0 };
