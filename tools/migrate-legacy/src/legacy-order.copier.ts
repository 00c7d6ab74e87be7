import { mapLegacyOrder, type MigratedOrder } from '@eos/domain';
import {
  LegacyOrderIdRepository,
  LegacyOrderReader,
  MerchantOrderRepository,
  ShardDataSources,
  type LegacyOrderIdMapping,
  type MerchantOrder,
} from '@eos/persistence';
import { forEachBounded, type OrderIdGenerator, type ShardRoute, type ShardRouter } from '@eos/sharding';
import type { Pool, PoolClient } from 'pg';
import { comparableFromLegacy } from './comparable-order';
import { MigratedOrderWriter } from './migrated-order.writer';
import type { ComparableOrder } from './order-digest';
import { planShardWrite } from './shard-write.plan';

export interface CopyResult {
  /** Orders written (new or changed copies). */
  readonly written: number;
  readonly unchanged: number;
  readonly deleted: number;
  readonly rejected: number;
}

export interface Reject {
  readonly legacyId: string;
  readonly reason: string;
}

export interface CopierDeps {
  readonly catalog: Pool;
  readonly sources: ShardDataSources;
  readonly router: ShardRouter;
  readonly ids: OrderIdGenerator;
}

interface LaneResult {
  written: number;
  unchanged: number;
  deleted: number;
  readonly merchantRows: MerchantOrder[];
}

/** Concurrent shard transactions per user database in one batch (the tool's pools hold 16 connections each). */
const WRITE_LANES_PER_DATABASE = 4;

/** Merchant schemas written at once after a batch, within the same pools. */
const MERCHANT_WRITES_AT_ONCE = 8;
const LANE_LOCK_TIMEOUT_MS = 3000;

interface ShardWork {
  readonly route: ShardRoute;
  readonly desired: ComparableOrder[];
  readonly gone: string[];
}

/**
 * Copies legacy orders, by old id, to their user shards and merchant shards: the one write path
 * of both the dual-write relay and the backfill, so the two cannot disagree.
 *
 * Ordering: `copy` runs inside the caller's legacy transaction and first takes FOR SHARE on the
 * order rows, holding it until the shard writes commit. A legacy write to one of those orders
 * (or, through the capture trigger, to its items) waits for that, and then its change row makes
 * the relay copy again. So whatever arrives last on a shard read the legacy row's latest state:
 * an update mirrored before the backfill reached the row, or a backfill that read a row just before
 * an update, both end at the current state. A deleted legacy order is deleted from the shards.
 */
export class LegacyOrderCopier {
  private readonly reader = new LegacyOrderReader();
  private readonly mappings = new LegacyOrderIdRepository();
  private readonly writer = new MigratedOrderWriter();
  private readonly merchantOrders: MerchantOrderRepository;

  constructor(private readonly deps: CopierDeps) {
    this.merchantOrders = new MerchantOrderRepository(deps.sources, deps.router);
  }

  async copy(legacy: PoolClient, legacyIds: readonly string[]): Promise<CopyResult> {
    const ids = [...new Set(legacyIds)].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    if (ids.length === 0) return { written: 0, unchanged: 0, deleted: 0, rejected: 0 };
    // Sorted, so two copiers lock in the same order and cannot deadlock each other.
    await legacy.query('SELECT id FROM orders WHERE id = ANY($1::bigint[]) ORDER BY id FOR SHARE', [ids]);
    const records = await this.reader.byIds(legacy, ids);
    const placed: MigratedOrder[] = [];
    const rejects: Reject[] = [];
    for (const record of records) {
      const mapping = mapLegacyOrder(record);
      if (mapping.ok) placed.push(mapping.order);
      else rejects.push({ legacyId: mapping.legacyId, reason: mapping.reason });
    }
    const mapped = await this.mapIds(ids, placed);
    const work = new Map<string, ShardWork>();
    const workFor = (orderId: string): ShardWork => {
      const route = this.deps.router.routeOrder(orderId);
      let entry = work.get(route.schema);
      if (entry === undefined) {
        entry = { route, desired: [], gone: [] };
        work.set(route.schema, entry);
      }
      return entry;
    };
    for (const order of placed) {
      const mapping = mapped.get(order.legacyId);
      if (mapping === undefined) continue;
      if (mapping.userId !== order.userId) {
        // The eos id carries the first user's shard: moving an order between users is not migratable.
        rejects.push({
          legacyId: order.legacyId,
          reason: `user changed from ${mapping.userId} to ${order.userId} after the order was mapped`,
        });
        continue;
      }
      workFor(mapping.orderId).desired.push(comparableFromLegacy(mapping.orderId, order));
    }
    const present = new Set(records.map((record) => record.legacyId));
    for (const legacyId of ids) {
      const mapping = mapped.get(legacyId);
      if (!present.has(legacyId) && mapping !== undefined)
        workFor(mapping.orderId).gone.push(mapping.orderId);
    }
    await this.recordRejects(
      rejects,
      placed.map((order) => order.legacyId),
    );
    const lanes = await Promise.all(this.lanes(work).map((lane) => this.writeLane(lane)));
    // After the user shards committed: a crash in between leaves the user copies unchanged for the
    // re-run, which rewrites every current merchant row anyway (their version guard keeps it harmless).
    await this.writeMerchantRows(lanes.flatMap((lane) => lane.merchantRows));
    return {
      written: lanes.reduce((sum, lane) => sum + lane.written, 0),
      unchanged: lanes.reduce((sum, lane) => sum + lane.unchanged, 0),
      deleted: lanes.reduce((sum, lane) => sum + lane.deleted, 0),
      rejected: rejects.length,
    };
  }

  /** The stored mapping of every given old id, issuing new eos ids for placed orders that have none. */
  private async mapIds(
    ids: readonly string[],
    placed: readonly MigratedOrder[],
  ): Promise<Map<string, LegacyOrderIdMapping>> {
    const known = new Map(
      (await this.mappings.findMany(this.deps.catalog, ids)).map((mapping) => [mapping.legacyId, mapping]),
    );
    const proposals = placed
      .filter((order) => !known.has(order.legacyId))
      // Oldest first, so migrated orders keep their relative order under the time-ordered new ids.
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map((order) => ({
        legacyId: order.legacyId,
        orderId: this.deps.ids.next(this.deps.router.userShard(order.userId)),
        userId: order.userId,
      }));
    for (const mapping of await this.mappings.claim(this.deps.catalog, proposals))
      known.set(mapping.legacyId, mapping);
    return known;
  }

  private async recordRejects(rejects: readonly Reject[], placedIds: readonly string[]): Promise<void> {
    if (placedIds.length > 0) {
      await this.deps.catalog.query('DELETE FROM legacy_order_rejects WHERE legacy_id = ANY($1::bigint[])', [
        placedIds,
      ]);
    }
    if (rejects.length === 0) return;
    await this.deps.catalog.query(
      `INSERT INTO legacy_order_rejects (legacy_id, reason)
         SELECT * FROM unnest($1::bigint[], $2::text[])
       ON CONFLICT (legacy_id) DO UPDATE SET reason = EXCLUDED.reason, seen_at = now()`,
      [rejects.map((reject) => reject.legacyId), rejects.map((reject) => reject.reason)],
    );
  }

  /**
   * Splits the batch into write lanes: per database, its shards dealt by shard number, so the same
   * shard is always in the same lane, and two copiers of the same orders (the relay beside the
   * backfill) meet only in one database, in the same row order, where they wait, not deadlock.
   */
  private lanes(work: ReadonlyMap<string, ShardWork>): ShardWork[][] {
    const lanes = new Map<string, ShardWork[]>();
    for (const entry of [...work.values()].sort((a, b) => a.route.shard - b.route.shard)) {
      const key = `${entry.route.database}:${entry.route.shard % WRITE_LANES_PER_DATABASE}`;
      lanes.set(key, [...(lanes.get(key) ?? []), entry]);
    }
    return [...lanes.values()];
  }

  /**
   * One transaction on one user database for the lane's schemas. Merchant rows of deleted orders
   * go inside it (once the user copy is gone, nothing would say which merchant row to delete); a
   * short lock timeout turns any wait across databases into a retry of the batch.
   */
  private async writeLane(shards: readonly ShardWork[]): Promise<LaneResult> {
    const runner = this.deps.sources.get(shards[0].route.database).createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    const result: LaneResult = { written: 0, unchanged: 0, deleted: 0, merchantRows: [] };
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL lock_timeout = '${LANE_LOCK_TIMEOUT_MS}ms'`);
      for (const { route, desired, gone } of shards) {
        const existing = await this.writer.lockExisting(client, route.schema, [
          ...desired.map((order) => order.orderId),
          ...gone,
        ]);
        const plan = planShardWrite(desired, existing, gone);
        await this.deleteMerchantRows(plan.deletes);
        await this.writer.delete(client, route.schema, plan.deletes);
        await this.writer.upsert(client, route.schema, plan.upserts);
        result.written += plan.upserts.length;
        result.unchanged += plan.current.length - plan.upserts.length;
        result.deleted += plan.deletes.length;
        for (const { order, version } of plan.current) result.merchantRows.push(merchantRow(order, version));
      }
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async deleteMerchantRows(gone: readonly ComparableOrder[]): Promise<void> {
    for (const order of gone) {
      await this.merchantOrders.deleteOnShard(this.deps.router.routeMerchant(order.merchantId), [
        order.orderId,
      ]);
    }
  }

  /**
   * The merchant dimension is written here directly, not by the projector from events: migrated
   * orders emit no events (see README), and merchants must still see their orders.
   */
  private async writeMerchantRows(rows: readonly MerchantOrder[]): Promise<void> {
    const bySchema = new Map<string, { route: ShardRoute; rows: MerchantOrder[] }>();
    for (const row of [...rows].sort((a, b) => (BigInt(a.orderId) < BigInt(b.orderId) ? -1 : 1))) {
      const route = this.deps.router.routeMerchant(row.merchantId);
      const entry = bySchema.get(route.schema) ?? { route, rows: [] };
      entry.rows.push(row);
      bySchema.set(route.schema, entry);
    }
    await forEachBounded([...bySchema.values()], MERCHANT_WRITES_AT_ONCE, (entry) =>
      this.merchantOrders.overwriteFromSource(entry.route, entry.rows),
    );
  }
}

function merchantRow(order: ComparableOrder, version: number): MerchantOrder {
  return {
    orderId: order.orderId,
    merchantId: order.merchantId,
    userId: order.userId,
    kind: 'DELIVERY',
    status: order.status as MerchantOrder['status'],
    totalCents: order.totalCents,
    currency: order.currency,
    version,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}
