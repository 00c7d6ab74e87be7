import { ShardRoute } from '@eos/sharding';
import {
  TransitionSubject,
  TransitionSubjectRow,
  transitionSubjectFromRow,
  transitionSubjectSelect,
} from '../orders/order-transition.repository';
import { ShardDataSources } from '../shards/shard-data-sources';
import { onShard } from '../shards/shard-failure';

/** Which deadline a sweep looks for: payment (unpaid orders), acceptance (paid, not accepted), after-sale (delivered). */
export type SweepDeadline = 'payment' | 'acceptance' | 'after-sale';

// Each matches a partial index of the order-life migration, so an idle shard costs one index probe.
const DUE: Readonly<Record<SweepDeadline, { where: string; orderBy: string }>> = {
  payment: { where: "o.status = 'CREATED' AND o.payment_deadline <= $1", orderBy: 'o.payment_deadline' },
  // Virtual orders are never accepted by a merchant: their goods are issued by fulfilment instead.
  acceptance: {
    where: "o.status = 'PAID' AND o.paid_at <= $1 AND o.kind = 'DELIVERY'",
    orderBy: 'o.paid_at',
  },
  'after-sale': {
    where: "o.status = 'DELIVERED' AND o.delivered_at <= $1 AND o.open_reverse_requests = 0",
    orderBy: 'o.delivered_at',
  },
};

/** Finds the orders whose deadline has passed; the sweeps decide on them and write through the transitions. */
export class OrderSweepRepository {
  constructor(private readonly sources: ShardDataSources) {}

  /**
   * Orders past `cutoff` on the given shards, oldest first, at most `limitPerShard` per shard, read
   * whole so the domain can decide on them without another round trip. The shards must all live
   * on `database`: one query asks all of them.
   */
  async dueOrders(
    database: string,
    routes: readonly ShardRoute[],
    deadline: SweepDeadline,
    cutoff: Date,
    limitPerShard: number,
  ): Promise<TransitionSubject[]> {
    if (routes.length === 0) return [];
    for (const route of routes) {
      if (route.database !== database) throw new Error(`shard ${route.schema} is not on ${database}`);
    }
    const { where, orderBy } = DUE[deadline];
    const text = routes
      .map(
        (route) => `(${transitionSubjectSelect(route.schema)} WHERE ${where} ORDER BY ${orderBy} LIMIT $2)`,
      )
      .join('\nUNION ALL\n');
    return onShard(database, async () => {
      const rows: TransitionSubjectRow[] = await this.sources
        .get(database)
        .query(text, [cutoff.toISOString(), limitPerShard]);
      return rows.map(transitionSubjectFromRow);
    });
  }
}
