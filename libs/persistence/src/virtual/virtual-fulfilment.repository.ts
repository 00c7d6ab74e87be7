import type { VirtualOrderExtension } from '@eos/domain';
import type { ShardRoute } from '@eos/sharding';
import {
  TransitionSubject,
  TransitionSubjectRow,
  transitionSubjectFromRow,
  transitionSubjectSelect,
} from '../orders/order-transition.repository';
import { orderSelect } from '../orders/order.row';
import { TransitionWrite, transitionStatement } from '../orders/order-transition.sql';
import type { ShardTransaction } from '../reverse/shard-transaction';
import type { ShardDataSources } from '../shards/shard-data-sources';
import { onShard } from '../shards/shard-failure';
import {
  VIRTUAL_EXTENSION_COLUMNS,
  VirtualExtensionColumns,
  virtualExtensionFromColumns,
} from './virtual-order.row';

/** A virtual order as its fulfilment decides on it: the transition subject and the extension. */
export interface FulfilmentSubject {
  readonly subject: TransitionSubject;
  readonly extension: VirtualOrderExtension;
}

type FulfilmentSubjectRow = TransitionSubjectRow & VirtualExtensionColumns;

/**
 * The reads and writes of fulfilment: the order and its extension in one read, the FULFIL
 * transition and the record of what was issued inside the caller's transaction (with the line
 * handler's own writes between them), and the virtual orders the sweeps are due to look at.
 */
export class VirtualFulfilmentRepository {
  constructor(private readonly sources: ShardDataSources) {}

  async load(route: ShardRoute, orderId: string): Promise<FulfilmentSubject | null> {
    const text = `${orderSelect(route.schema, `, o.open_reverse_requests, ${VIRTUAL_EXTENSION_COLUMNS}`)}
JOIN ${route.schema}.virtual_order_details d ON d.order_id = o.id
WHERE o.id = $1`;
    return onShard(route.database, async () => {
      const rows: FulfilmentSubjectRow[] = await this.sources.get(route.database).query(text, [orderId]);
      const row = rows[0];
      return row
        ? { subject: transitionSubjectFromRow(row), extension: virtualExtensionFromColumns(row) }
        : null;
    });
  }

  /**
   * Writes a decided transition (row, history, outbox) in `tx`; true when it moved the order,
   * false when the version guard found the order moved since it was read.
   */
  async applyTransition(tx: ShardTransaction, write: TransitionWrite): Promise<boolean> {
    if (write.moves.length !== 1) throw new Error('a fulfilment moves exactly one order');
    const statement = transitionStatement(tx.route.schema, write);
    const rows = await tx.query<{ moved: string[] }>(statement.text, statement.params);
    return rows[0]?.moved.length === 1;
  }

  async recordFulfilment(
    tx: ShardTransaction,
    orderId: string,
    fulfilment: Readonly<Record<string, unknown>>,
    at: Date,
  ): Promise<void> {
    await tx.query(
      `UPDATE ${tx.route.schema}.virtual_order_details SET fulfilment = $2::jsonb, fulfilled_at = $3
        WHERE order_id = $1`,
      [orderId, JSON.stringify(fulfilment), at.toISOString()],
    );
  }

  /**
   * Paid virtual orders not fulfilled by `cutoff`, oldest payment first, at most `limitPerShard`
   * per shard: the event that should have fulfilled them was lost or failed. The shards must all
   * live on `database`: one query asks all of them.
   */
  async paidNotFulfilled(
    database: string,
    routes: readonly ShardRoute[],
    cutoff: Date,
    limitPerShard: number,
  ): Promise<string[]> {
    const rows = await this.acrossShards<{ id: string }>(
      database,
      routes,
      (schema) => `(SELECT o.id::text AS id FROM ${schema}.orders o
  WHERE o.status = 'PAID' AND o.kind = 'VIRTUAL' AND o.paid_at <= $1 ORDER BY o.paid_at LIMIT $2)`,
      [cutoff.toISOString(), limitPerShard],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Fulfilled orders untouched since `cutoff` with no open reverse request: their after-sale
   * window closed, so they complete. Read whole, so the domain decides on them as they are.
   */
  async fulfilledDueForCompletion(
    database: string,
    routes: readonly ShardRoute[],
    cutoff: Date,
    limitPerShard: number,
  ): Promise<TransitionSubject[]> {
    const rows = await this.acrossShards<TransitionSubjectRow>(
      database,
      routes,
      (schema) => `(${transitionSubjectSelect(schema)}
  WHERE o.status = 'FULFILLED' AND o.updated_at <= $1 AND o.open_reverse_requests = 0
  ORDER BY o.updated_at LIMIT $2)`,
      [cutoff.toISOString(), limitPerShard],
    );
    return rows.map(transitionSubjectFromRow);
  }

  private async acrossShards<R>(
    database: string,
    routes: readonly ShardRoute[],
    select: (schema: string) => string,
    params: unknown[],
  ): Promise<R[]> {
    if (routes.length === 0) return [];
    for (const route of routes) {
      if (route.database !== database) throw new Error(`shard ${route.schema} is not on ${database}`);
    }
    const text = routes.map((route) => select(route.schema)).join('\nUNION ALL\n');
    return onShard(database, () => this.sources.get(database).query(text, params));
  }
}
