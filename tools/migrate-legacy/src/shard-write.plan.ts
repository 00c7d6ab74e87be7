import { fullDigest, type ComparableOrder } from './order-digest';

export interface ExistingCopy {
  readonly order: ComparableOrder;
  readonly version: number;
}

/** One order to (re)write on its user shard, with the version it gets. */
export interface OrderUpsert {
  readonly order: ComparableOrder;
  readonly version: number;
  /** The status-history entry this write adds: for a new copy, or one whose status changed. */
  readonly history: { readonly fromStatus: string | null; readonly at: Date } | null;
}

export interface ShardWritePlan {
  /** New copies and changed ones. */
  readonly upserts: OrderUpsert[];
  /** Every copy that stays, changed or not, at its version after the write (for the merchant dimension). */
  readonly current: { readonly order: ComparableOrder; readonly version: number }[];
  /** Copies whose legacy order is gone. */
  readonly deletes: ComparableOrder[];
}

/**
 * Decides what one shard's write does: an unchanged copy is left alone (a re-run writes nothing),
 * a changed one is rewritten whole at the next version, a new one starts at version 1. Since each
 * write reads the legacy row's current state, the last write is the current state, whatever order
 * the relay and the backfill reached the order in.
 */
export function planShardWrite(
  desired: readonly ComparableOrder[],
  existing: ReadonlyMap<string, ExistingCopy>,
  gone: readonly string[],
): ShardWritePlan {
  const upserts: OrderUpsert[] = [];
  const current: { order: ComparableOrder; version: number }[] = [];
  for (const order of desired) {
    const copy = existing.get(order.orderId);
    if (copy === undefined) {
      upserts.push({ order, version: 1, history: { fromStatus: null, at: order.createdAt } });
      current.push({ order, version: 1 });
    } else if (fullDigest(copy.order) !== fullDigest(order)) {
      const statusChanged = copy.order.status !== order.status;
      const version = copy.version + 1;
      upserts.push({
        order,
        version,
        history: statusChanged ? { fromStatus: copy.order.status, at: order.updatedAt } : null,
      });
      current.push({ order, version });
    } else {
      current.push({ order, version: copy.version });
    }
  }
  const deletes = gone.flatMap((orderId) => {
    const copy = existing.get(orderId);
    return copy === undefined ? [] : [copy.order];
  });
  return { upserts, current, deletes };
}
