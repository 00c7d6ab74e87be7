import {
  LOGICAL_SHARDS,
  orderIdFloor,
  shardOfOrderId,
  type ShardRoute,
  type ShardRouter,
  forEachBounded,
} from '@eos/sharding';
import { MerchantOrderRepository, type MerchantOrder } from '../orders/merchant-order.repository';
import type { ShardDataSources } from '../shards/shard-data-sources';
import { UserOrderRangeReader, type OrderIdRange } from './user-order-range.reader';

export interface ReconcileOptions {
  /** Orders created at or after this time (by the time in their id)... */
  readonly from: Date;
  /** ...and before this one. */
  readonly to: Date;
  /** Rewrite drifted merchant rows from the user dimension and delete orphaned ones. */
  readonly repair: boolean;
  /** Drifts kept as examples in the report. */
  readonly samples?: number;
}

/**
 * - missing: in the user dimension, not in the merchant dimension (also an event still in flight)
 * - mismatched: both, but merchant, user, status, version or total differ
 * - orphaned: in the merchant dimension only
 */
export type DriftKind = 'missing' | 'mismatched' | 'orphaned';

export interface Drift {
  readonly kind: DriftKind;
  readonly orderId: string;
  readonly detail: string;
}

export interface ReconciliationReport {
  readonly from: string;
  readonly to: string;
  readonly userOrders: number;
  readonly merchantOrders: number;
  readonly missing: number;
  readonly mismatched: number;
  readonly orphaned: number;
  /** Merchant rows rewritten or deleted by --repair. */
  readonly repaired: number;
  readonly samples: readonly Drift[];
}

export function totalDrift(report: ReconciliationReport): number {
  return report.missing + report.mismatched + report.orphaned;
}

const PAGE = 2000;
/** Orders gathered from many shards before they are checked against the other dimension. */
const CHUNK = 10_000;
const SHARDS_AT_ONCE = 8;

/** The differences that make a merchant row drift from its order, or null when it agrees. */
export function orderDrift(truth: MerchantOrder, projected: MerchantOrder | undefined): string | null {
  if (!projected) return 'no merchant row';
  const differences: string[] = [];
  if (projected.merchantId !== truth.merchantId)
    differences.push(`merchant ${projected.merchantId} != ${truth.merchantId}`);
  if (projected.userId !== truth.userId) differences.push(`user ${projected.userId} != ${truth.userId}`);
  if (projected.status !== truth.status) differences.push(`status ${projected.status} != ${truth.status}`);
  if (projected.version !== truth.version)
    differences.push(`version ${projected.version} != ${truth.version}`);
  if (projected.totalCents !== truth.totalCents) {
    differences.push(`total ${projected.totalCents} != ${truth.totalCents}`);
  }
  return differences.length > 0 ? differences.join(', ') : null;
}

function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Compares the two dimensions over a time range, order by order: every order of the user
 * dimension (the source of truth) against its merchant row, then every merchant row against the
 * user dimension. Both passes walk the order-id primary keys (ids are time-ordered), so a range
 * costs what it holds. With `repair`, merchant rows are rewritten from the user dimension (never
 * over a newer version the projector wrote meanwhile) and orphans deleted.
 */
export class DimensionReconciler {
  private readonly users: UserOrderRangeReader;
  private readonly merchants: MerchantOrderRepository;

  constructor(
    sources: ShardDataSources,
    private readonly router: ShardRouter,
  ) {
    this.users = new UserOrderRangeReader(sources);
    this.merchants = new MerchantOrderRepository(sources, router);
  }

  async reconcile(options: ReconcileOptions): Promise<ReconciliationReport> {
    const range: OrderIdRange = {
      fromId: orderIdFloor(options.from.getTime()),
      toId: orderIdFloor(options.to.getTime()),
    };
    const sampleSize = options.samples ?? 20;
    const counts = { userOrders: 0, merchantOrders: 0, missing: 0, mismatched: 0, orphaned: 0, repaired: 0 };
    const samples: Drift[] = [];
    const note = (drift: Drift): void => {
      counts[drift.kind] += 1;
      if (samples.length < sampleSize) samples.push(drift);
    };

    await this.walk(
      (shard) => this.router.routeUserShard(shard),
      (route, afterId) => this.users.page(route, range, afterId, PAGE),
      async (orders) => {
        counts.userOrders += orders.length;
        const repaired = await this.checkAgainstMerchants(orders, options.repair, note);
        counts.repaired += repaired;
      },
    );
    await this.walk(
      (shard) => this.router.routeMerchantShard(shard),
      (route, afterId) => this.merchants.pageOnShard(route, range, afterId, PAGE),
      async (rows) => {
        counts.merchantOrders += rows.length;
        const repaired = await this.checkAgainstUsers(rows, options.repair, note);
        counts.repaired += repaired;
      },
    );
    return { from: options.from.toISOString(), to: options.to.toISOString(), ...counts, samples };
  }

  /** Pages through every shard of one dimension, handing over chunks of rows from many shards. */
  private async walk(
    routeOf: (shard: number) => ShardRoute,
    page: (route: ShardRoute, afterId: string | null) => Promise<MerchantOrder[]>,
    check: (rows: MerchantOrder[]) => Promise<void>,
  ): Promise<void> {
    let buffer: MerchantOrder[] = [];
    const shards = Array.from({ length: LOGICAL_SHARDS }, (_, shard) => shard);
    for (let first = 0; first < shards.length; first += SHARDS_AT_ONCE) {
      await forEachBounded(shards.slice(first, first + SHARDS_AT_ONCE), SHARDS_AT_ONCE, async (shard) => {
        const route = routeOf(shard);
        let afterId: string | null = null;
        for (;;) {
          const rows = await page(route, afterId);
          buffer.push(...rows);
          if (rows.length < PAGE) return;
          afterId = rows[rows.length - 1].orderId;
        }
      });
      if (buffer.length >= CHUNK) {
        await check(buffer);
        buffer = [];
      }
    }
    if (buffer.length > 0) await check(buffer);
  }

  private async checkAgainstMerchants(
    orders: readonly MerchantOrder[],
    repair: boolean,
    note: (drift: Drift) => void,
  ): Promise<number> {
    let repaired = 0;
    const byMerchantShard = groupBy(orders, (order) => this.router.merchantShard(order.merchantId));
    await forEachBounded([...byMerchantShard.entries()], SHARDS_AT_ONCE, async ([shard, group]) => {
      const route = this.router.routeMerchantShard(shard);
      const projected = new Map(
        (
          await this.merchants.findOnShard(
            route,
            group.map((order) => order.orderId),
          )
        ).map((row) => [row.orderId, row]),
      );
      const drifted: MerchantOrder[] = [];
      for (const order of group) {
        const row = projected.get(order.orderId);
        const detail = orderDrift(order, row);
        if (detail === null) continue;
        note({ kind: row ? 'mismatched' : 'missing', orderId: order.orderId, detail });
        drifted.push(order);
      }
      if (!repair) return;
      // Awaited first: `repaired += await ...` would read `repaired` before the await and lose
      // the counts of the shards checked meanwhile.
      const written = await this.merchants.overwriteFromSource(route, drifted);
      repaired += written;
    });
    return repaired;
  }

  private async checkAgainstUsers(
    rows: readonly MerchantOrder[],
    repair: boolean,
    note: (drift: Drift) => void,
  ): Promise<number> {
    let repaired = 0;
    const byUserShard = groupBy(rows, (row) => shardOfOrderId(row.orderId));
    await forEachBounded([...byUserShard.entries()], SHARDS_AT_ONCE, async ([shard, group]) => {
      const existing = await this.users.existing(
        this.router.routeUserShard(shard),
        group.map((row) => row.orderId),
      );
      const orphans = group.filter((row) => !existing.has(row.orderId));
      for (const row of orphans) {
        note({
          kind: 'orphaned',
          orderId: row.orderId,
          detail: `merchant ${row.merchantId} holds it, no user shard does`,
        });
      }
      if (!repair) return;
      // Safe against races: an order is committed on its user shard before any event about it exists.
      for (const [merchantShard, doomed] of groupBy(orphans, (row) =>
        this.router.merchantShard(row.merchantId),
      )) {
        const deleted = await this.merchants.deleteOnShard(
          this.router.routeMerchantShard(merchantShard),
          doomed.map((row) => row.orderId),
        );
        repaired += deleted;
      }
    });
    return repaired;
  }
}
