import { Order } from '@eos/domain';
import { ShardRoute } from '@eos/sharding';
import { ShardDataSources } from '../shards/shard-data-sources';
import { onShard } from '../shards/shard-failure';
import { OrderRow, orderFromRow, orderSelect } from './order.row';
import { TransitionWrite, transitionStatement } from './order-transition.sql';

/** An order as a transition decides on it: the aggregate plus the facts stored beside it. */
export interface TransitionSubject {
  readonly order: Order;
  readonly openReverseRequests: number;
}

export type TransitionSubjectRow = OrderRow & { open_reverse_requests: number };

/** The select of a transition subject; `WHERE`, `ORDER BY` and `LIMIT` are the caller's. */
export function transitionSubjectSelect(schema: string): string {
  return orderSelect(schema, ', o.open_reverse_requests');
}

export function transitionSubjectFromRow(row: TransitionSubjectRow): TransitionSubject {
  return { order: orderFromRow(row), openReverseRequests: row.open_reverse_requests };
}

/**
 * The ids of the orders that moved, and whether a fenced write was refused because a newer lock
 * holder has written (then nothing moved and the holder must stop).
 */
export interface TransitionResult {
  readonly moved: readonly string[];
  readonly fencedOut: boolean;
}

const UNIQUE_VIOLATION = '23505';

/** Reads orders by id and writes their forward transitions, on the shard the caller routed to. */
export class OrderTransitionRepository {
  /**
   * `onCommitted` hears the user shard of every write that moved an order (and so wrote outbox
   * rows), after its commit: the app passes its outbox relay's wake-up there.
   */
  constructor(
    private readonly sources: ShardDataSources,
    private readonly onCommitted: (userShard: number) => void = () => undefined,
  ) {}

  async load(route: ShardRoute, orderId: string): Promise<TransitionSubject | null> {
    return onShard(route.database, async () => {
      const rows: TransitionSubjectRow[] = await this.sources
        .get(route.database)
        .query(`${transitionSubjectSelect(route.schema)} WHERE o.id = $1`, [orderId]);
      return rows[0] ? transitionSubjectFromRow(rows[0]) : null;
    });
  }

  /** The delivery partner the order is assigned to, or null (no assignment, or no such order). */
  async assignedPartner(route: ShardRoute, orderId: string): Promise<string | null> {
    return onShard(route.database, async () => {
      const rows: { partner: string }[] = await this.sources
        .get(route.database)
        .query(
          `SELECT delivery_partner_id::text AS partner FROM ${route.schema}.delivery_assignments WHERE order_id = $1`,
          [orderId],
        );
      return rows[0]?.partner ?? null;
    });
  }

  async apply(route: ShardRoute, write: TransitionWrite): Promise<TransitionResult> {
    if (write.moves.length === 0) return { moved: [], fencedOut: false };
    const statement = transitionStatement(route.schema, write);
    return onShard(route.database, async () => {
      let rows: { moved: string[]; fenced: number }[];
      try {
        rows = await this.sources.get(route.database).query(statement.text, statement.params);
      } catch (error) {
        // A concurrent writer inserted the same history version or notification between our
        // snapshot and our insert: the statement wrote nothing, so decide again on fresh data.
        if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) return { moved: [], fencedOut: false };
        throw error;
      }
      const result = { moved: rows[0].moved, fencedOut: rows[0].fenced === 0 };
      if (result.moved.length > 0) this.onCommitted(route.shard);
      return result;
    });
  }
}
