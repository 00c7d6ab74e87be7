import { checksum, fullDigest, lineDigests, orderDigest, type ComparableOrder } from './order-digest';

export type DifferenceKind =
  /** In the legacy store, not on its shard. */
  | 'missing'
  /** On its shard (through the id mapping), but no longer in the legacy store. */
  | 'orphaned'
  /** On both sides, with different fields or lines. */
  | 'mismatched'
  /** In the legacy store, but the status mapper or eos's rules cannot place it. */
  | 'unplaceable'
  /** In the legacy store, but no id mapping yet. */
  | 'unmapped'
  /** The merchant dimension's row disagrees with the user shard. */
  | 'merchant';

export interface Difference {
  readonly kind: DifferenceKind;
  readonly legacyId: string;
  readonly orderId: string | null;
  readonly detail: string;
}

export interface ShardTally {
  readonly shard: number;
  readonly legacyOrders: number;
  readonly shardedOrders: number;
  readonly legacyLines: number;
  readonly shardedLines: number;
  readonly legacyChecksum: string;
  readonly shardedChecksum: string;
}

/** Both sides of one user shard, keyed by eos order id; `legacyIds` maps each eos id back to its old id. */
export interface ShardSides {
  readonly shard: number;
  readonly legacy: ReadonlyMap<string, ComparableOrder>;
  readonly sharded: ReadonlyMap<string, ComparableOrder>;
  readonly legacyIds: ReadonlyMap<string, string>;
}

const FIELDS: readonly (keyof ComparableOrder)[] = [
  'userId',
  'merchantId',
  'status',
  'subtotalCents',
  'packagingFeeCents',
  'deliveryFeeCents',
  'discountCents',
  'totalCents',
  'currency',
  'note',
  'paidCents',
  'refundedCents',
];

/** Names what differs between two copies of one order, for the operator. */
export function describeMismatch(legacy: ComparableOrder, sharded: ComparableOrder): string {
  const parts: string[] = [];
  for (const field of FIELDS) {
    if (legacy[field] !== sharded[field]) {
      parts.push(`${field} ${JSON.stringify(legacy[field])} != ${JSON.stringify(sharded[field])}`);
    }
  }
  if (JSON.stringify(legacy.address) !== JSON.stringify(sharded.address)) parts.push('address differs');
  for (const field of ['createdAt', 'updatedAt'] as const) {
    if (legacy[field].getTime() !== sharded[field].getTime()) {
      parts.push(`${field} ${legacy[field].toISOString()} != ${sharded[field].toISOString()}`);
    }
  }
  const legacyLines = lineDigests(legacy);
  const shardedLines = lineDigests(sharded);
  if (legacyLines.length !== shardedLines.length) {
    parts.push(`${legacyLines.length} lines != ${shardedLines.length} lines`);
  } else if (legacyLines.some((digest, index) => digest !== shardedLines[index])) {
    parts.push('lines differ');
  }
  return parts.join('; ') || 'digests differ';
}

/**
 * Counts and checksums one shard's orders and lines on both sides and, unless they agree, lists
 * each order that differs. Equal checksums and counts mean equal sets (up to hash collisions).
 */
export function compareShard(sides: ShardSides): { tally: ShardTally; differences: Difference[] } {
  const legacyOrders = [...sides.legacy.values()];
  const shardedOrders = [...sides.sharded.values()];
  const tally: ShardTally = {
    shard: sides.shard,
    legacyOrders: legacyOrders.length,
    shardedOrders: shardedOrders.length,
    legacyLines: legacyOrders.reduce((sum, order) => sum + order.items.length, 0),
    shardedLines: shardedOrders.reduce((sum, order) => sum + order.items.length, 0),
    legacyChecksum: checksum(legacyOrders.flatMap((order) => [orderDigest(order), ...lineDigests(order)])),
    shardedChecksum: checksum(shardedOrders.flatMap((order) => [orderDigest(order), ...lineDigests(order)])),
  };
  const differences: Difference[] = [];
  const agree =
    tally.legacyOrders === tally.shardedOrders &&
    tally.legacyLines === tally.shardedLines &&
    tally.legacyChecksum === tally.shardedChecksum;
  if (agree) return { tally, differences };
  const legacyIdOf = (orderId: string): string => sides.legacyIds.get(orderId) ?? '?';
  for (const [orderId, legacy] of sides.legacy) {
    const sharded = sides.sharded.get(orderId);
    if (sharded === undefined) {
      differences.push({
        kind: 'missing',
        legacyId: legacyIdOf(orderId),
        orderId,
        detail: 'not on its shard',
      });
    } else if (fullDigest(legacy) !== fullDigest(sharded)) {
      differences.push({
        kind: 'mismatched',
        legacyId: legacyIdOf(orderId),
        orderId,
        detail: describeMismatch(legacy, sharded),
      });
    }
  }
  for (const orderId of sides.sharded.keys()) {
    if (!sides.legacy.has(orderId)) {
      differences.push({
        kind: 'orphaned',
        legacyId: legacyIdOf(orderId),
        orderId,
        detail: 'deleted in the legacy store, still on its shard',
      });
    }
  }
  return { tally, differences };
}
