import type { OutboxRow } from '@eos/persistence';

export interface ConfirmedRow {
  readonly row: OutboxRow;
  readonly confirmedAt: number;
}

export interface BatchPublication {
  /** Rows the broker confirmed, to be marked sent. */
  readonly confirmed: ConfirmedRow[];
  /** The first error of each order whose publishing stopped; its rows stay unsent. */
  readonly errors: unknown[];
}

/**
 * Publishes a claimed batch with confirms, keeping each order's events in order: the rows of one
 * order go one after the other (the next only once the previous is confirmed), and after a
 * failure the order's later rows are not sent at all, so they can never overtake the failed one.
 * Different orders are published concurrently, pipelined on the one confirm channel.
 */
export async function publishInOrderPerOrder(
  rows: readonly OutboxRow[],
  publish: (row: OutboxRow) => Promise<void>,
): Promise<BatchPublication> {
  const byOrder = new Map<string, OutboxRow[]>();
  for (const row of [...rows].sort(byShardThenId)) {
    const key = `${row.shard}:${row.orderId}`;
    const list = byOrder.get(key);
    if (list) list.push(row);
    else byOrder.set(key, [row]);
  }
  const confirmed: ConfirmedRow[] = [];
  const errors: unknown[] = [];
  await Promise.all(
    [...byOrder.values()].map(async (orderRows) => {
      for (const row of orderRows) {
        try {
          await publish(row);
          confirmed.push({ row, confirmedAt: Date.now() });
        } catch (error) {
          errors.push(error);
          return;
        }
      }
    }),
  );
  return { confirmed, errors };
}

function byShardThenId(a: OutboxRow, b: OutboxRow): number {
  if (a.shard !== b.shard) return a.shard - b.shard;
  const left = BigInt(a.id);
  const right = BigInt(b.id);
  return left < right ? -1 : left > right ? 1 : 0;
}
