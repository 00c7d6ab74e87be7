import { mapLegacyOrder } from '@eos/domain';
import { LegacyOrderIdRepository, LegacyOrderReader, type LegacyOrderIdMapping } from '@eos/persistence';
import { LOGICAL_SHARDS, forEachBounded } from '@eos/sharding';
import type { PoolClient } from 'pg';
import { comparableFromLegacy } from './comparable-order';
import type { MigrationContext } from './migration.context';
import { readShardedCopies } from './sharded-copy.reader';
import type { ComparableOrder } from './order-digest';
import { compareShard, type Difference, type ShardTally } from './shard-comparison';

export interface VerifyReport {
  readonly legacyOrders: number;
  readonly shardedOrders: number;
  readonly legacyLines: number;
  readonly shardedLines: number;
  readonly shards: readonly ShardTally[];
  readonly differences: readonly Difference[];
}

const PAGE = 10_000;
/** Shards read at once (each on its own pooled connection). */
const VERIFY_CONCURRENCY = 8;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * `verify`: reads every legacy order (through the status mapper and the id mapping) and every
 * migrated order on the shards, and compares counts and checksums of orders and lines per user
 * shard; for a shard that disagrees, it lists each differing order. It also checks each migrated
 * order's merchant-dimension row. Run it when the relay's backlog is empty: a write in flight
 * shows up as a difference until it is relayed.
 */
export async function verifyPhase(context: MigrationContext): Promise<VerifyReport> {
  const mappings = new Map<string, LegacyOrderIdMapping>();
  const idRepository = new LegacyOrderIdRepository();
  for (let after = '0'; ;) {
    const page = await idRepository.page(context.catalog, after, PAGE);
    for (const mapping of page) mappings.set(mapping.legacyId, mapping);
    if (page.length < PAGE) break;
    after = page[page.length - 1].legacyId;
  }
  const legacyIds = new Map<string, string>([...mappings.values()].map((m) => [m.orderId, m.legacyId]));
  const legacySide = Array.from({ length: LOGICAL_SHARDS }, () => new Map<string, ComparableOrder>());
  const differences: Difference[] = [];
  const shardedSide = Array.from({ length: LOGICAL_SHARDS }, () => new Map<string, ComparableOrder>());
  const versions = new Map<string, number>();
  // The two sides are independent reads of two stores: read them at once.
  await Promise.all([
    readLegacySide(context, mappings, legacySide, differences),
    readShardedSide(context, mappings, shardedSide, versions),
  ]);
  const unplaceable = new Set(differences.filter((d) => d.kind === 'unplaceable').map((d) => d.legacyId));
  const tallies: ShardTally[] = [];
  for (let shard = 0; shard < LOGICAL_SHARDS; shard += 1) {
    const { tally, differences: found } = compareShard({
      shard,
      legacy: legacySide[shard],
      sharded: shardedSide[shard],
      legacyIds,
    });
    tallies.push(tally);
    // An order the mapper cannot place is reported once, as unplaceable, not again as orphaned.
    differences.push(...found.filter((d) => !(d.kind === 'orphaned' && unplaceable.has(d.legacyId))));
  }
  differences.push(...(await merchantDifferences(context, shardedSide, versions, legacyIds)));
  return {
    legacyOrders: tallies.reduce((sum, t) => sum + t.legacyOrders, 0),
    shardedOrders: tallies.reduce((sum, t) => sum + t.shardedOrders, 0),
    legacyLines: tallies.reduce((sum, t) => sum + t.legacyLines, 0),
    shardedLines: tallies.reduce((sum, t) => sum + t.shardedLines, 0),
    shards: tallies,
    differences,
  };
}

/** Each migrated order's merchant row must exist with the user shard's status, total and version. */
async function merchantDifferences(
  context: MigrationContext,
  shardedSide: readonly Map<string, ComparableOrder>[],
  versions: ReadonlyMap<string, number>,
  legacyIds: ReadonlyMap<string, string>,
): Promise<Difference[]> {
  const byMerchantShard = new Map<number, ComparableOrder[]>();
  for (const side of shardedSide) {
    for (const order of side.values()) {
      const shard = context.router.merchantShard(order.merchantId);
      const list = byMerchantShard.get(shard) ?? [];
      list.push(order);
      byMerchantShard.set(shard, list);
    }
  }
  const differences: Difference[] = [];
  for (const [shard, orders] of byMerchantShard) {
    const route = context.router.routeMerchantShard(shard);
    for (const chunk of chunks(orders, PAGE)) {
      const rows: {
        order_id: string;
        merchant_id: string;
        status: string;
        total_cents: string;
        version: number;
      }[] = await context.sources.get(route.database).query(
        `SELECT order_id::text AS order_id, merchant_id::text AS merchant_id, status, total_cents, version
               FROM ${route.schema}.merchant_orders WHERE order_id = ANY($1::bigint[])`,
        [chunk.map((order) => order.orderId)],
      );
      const found = new Map(rows.map((row) => [row.order_id, row]));
      for (const order of chunk) {
        const row = found.get(order.orderId);
        const expected = `${order.merchantId}/${order.status}/${order.totalCents}/v${versions.get(order.orderId)}`;
        const actual = row && `${row.merchant_id}/${row.status}/${Number(row.total_cents)}/v${row.version}`;
        if (actual !== expected) {
          differences.push({
            kind: 'merchant',
            legacyId: legacyIds.get(order.orderId) ?? '?',
            orderId: order.orderId,
            detail: row ? `merchant row ${actual}, user shard ${expected}` : 'no merchant-dimension row',
          });
        }
      }
    }
  }
  return differences;
}

/** The report as the CLI prints it. */
export function formatVerifyReport(report: VerifyReport, limit = 50): string {
  const agreeing = report.shards.filter(
    (t) =>
      t.legacyChecksum === t.shardedChecksum &&
      t.legacyOrders === t.shardedOrders &&
      t.legacyLines === t.shardedLines,
  ).length;
  const lines = [
    `orders: legacy ${report.legacyOrders}, sharded ${report.shardedOrders}; lines: legacy ${report.legacyLines}, sharded ${report.shardedLines}`,
    `user shards agreeing (counts and checksums): ${agreeing}/${report.shards.length}`,
  ];
  for (const t of report.shards) {
    if (
      t.legacyChecksum !== t.shardedChecksum ||
      t.legacyOrders !== t.shardedOrders ||
      t.legacyLines !== t.shardedLines
    ) {
      lines.push(
        `  shard ${t.shard}: orders ${t.legacyOrders}/${t.shardedOrders}, lines ${t.legacyLines}/${t.shardedLines}, checksum ${t.legacyChecksum}/${t.shardedChecksum}`,
      );
    }
  }
  lines.push(`differences: ${report.differences.length}`);
  for (const difference of report.differences.slice(0, limit)) {
    lines.push(
      `  ${difference.kind.padEnd(11)} legacy ${difference.legacyId} -> ${difference.orderId ?? '-'}  ${difference.detail}`,
    );
  }
  if (report.differences.length > limit) lines.push(`  ... and ${report.differences.length - limit} more`);
  return lines.join('\n');
}

/** Every legacy order, through the status mapper and the id mapping, by user shard of its new id. */
async function readLegacySide(
  context: MigrationContext,
  mappings: ReadonlyMap<string, LegacyOrderIdMapping>,
  legacySide: Map<string, ComparableOrder>[],
  differences: Difference[],
): Promise<void> {
  const { router } = context;
  const reader = new LegacyOrderReader();
  for (let after = '0'; ;) {
    const page = await reader.page(context.legacy, after, PAGE);
    for (const record of page) {
      const placed = mapLegacyOrder(record);
      const mapping = mappings.get(record.legacyId);
      if (!placed.ok) {
        differences.push({
          kind: 'unplaceable',
          legacyId: record.legacyId,
          orderId: mapping?.orderId ?? null,
          detail: placed.reason,
        });
      } else if (mapping === undefined) {
        differences.push({
          kind: 'unmapped',
          legacyId: record.legacyId,
          orderId: null,
          detail: 'not copied yet',
        });
      } else {
        legacySide[router.routeOrder(mapping.orderId).shard].set(
          mapping.orderId,
          comparableFromLegacy(mapping.orderId, placed.order),
        );
      }
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1].legacyId;
  }
}

/** Every mapped order as its user shard holds it. */
async function readShardedSide(
  context: MigrationContext,
  mappings: ReadonlyMap<string, LegacyOrderIdMapping>,
  shardedSide: Map<string, ComparableOrder>[],
  versions: Map<string, number>,
): Promise<void> {
  const { router } = context;
  const mappedByShard = Array.from({ length: LOGICAL_SHARDS }, (): string[] => []);
  for (const mapping of mappings.values())
    mappedByShard[router.routeOrder(mapping.orderId).shard].push(mapping.orderId);
  await forEachBounded(
    Array.from({ length: LOGICAL_SHARDS }, (_, shard) => shard),
    VERIFY_CONCURRENCY,
    async (shard) => {
      const route = router.routeUserShard(shard);
      const runner = context.sources.get(route.database).createQueryRunner();
      const client = (await runner.connect()) as PoolClient;
      try {
        for (const ids of chunks(mappedByShard[shard], PAGE)) {
          for (const [orderId, copy] of await readShardedCopies(client, route.schema, ids, false)) {
            shardedSide[shard].set(orderId, copy.order);
            versions.set(orderId, copy.version);
          }
        }
      } finally {
        await runner.release();
      }
    },
  );
}
