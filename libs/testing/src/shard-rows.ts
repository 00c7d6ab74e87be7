import { ShardDataSources } from '@eos/persistence';
import { schemasOn, ShardMap } from '@eos/sharding';

const COUNT_TIMEOUT = '60s';

/**
 * Every row in any user shard of any database that belongs to `userId`: orders, their lines,
 * history and outbox rows, and idempotency keys. Scoped to one user so tests can run beside load.
 * Lines and history are reached from the user's orders through their primary keys, and outbox
 * rows through the user's order ids (each is written with its order, in one statement), not by
 * their payload: hash joins and a jsonb scan over every row went past the statement timeout once
 * benchmarks had left millions of rows in the shared databases.
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
        (SELECT coalesce(sum((SELECT count(*) FROM ${schema}.order_items i WHERE i.order_id = o.id)), 0)
           FROM ${schema}.orders o WHERE o.user_id = $1) AS order_items,
        (SELECT coalesce(sum((SELECT count(*) FROM ${schema}.order_status_history h WHERE h.order_id = o.id)), 0)
           FROM ${schema}.orders o WHERE o.user_id = $1) AS order_status_history,
        (SELECT count(*) FROM ${schema}.outbox
           WHERE order_id IN (SELECT id FROM ${schema}.orders WHERE user_id = $1)) AS outbox,
        (SELECT count(*) FROM ${schema}.idempotency_keys WHERE user_id = $1) AS idempotency_keys`,
    );
    const sql = `SELECT sum(orders)::int AS orders, sum(order_items)::int AS order_items,
        sum(order_status_history)::int AS order_status_history, sum(outbox)::int AS outbox,
        sum(idempotency_keys)::int AS idempotency_keys FROM (${parts.join(' UNION ALL ')}) AS counts`;
    // On tables that benchmarks have grown, the planner's cost for this 60-branch statement passes
    // jit_above_cost, and compiling it took 7 s a call (pg_stat_statements), past the app's
    // timeouts; the outbox has no index by order either (the relay reads it by id).
    const rows = await source.transaction(async (manager): Promise<Record<string, string>[]> => {
      await manager.query(`SET LOCAL jit = off; SET LOCAL statement_timeout = '${COUNT_TIMEOUT}'`);
      return manager.query(sql, [userId]);
    });
    for (const key of Object.keys(totals)) totals[key] += Number(rows[0][key]);
  }
  return totals;
}

export const NO_ROWS = { orders: 0, order_items: 0, order_status_history: 0, outbox: 0, idempotency_keys: 0 };
