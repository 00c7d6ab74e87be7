import { DomainError, DomainErrorCode, Order, mapLegacyOrder } from '@eos/domain';
import { UserOrderRepository } from '../orders/user-order.repository';
import { isShardOutage } from '../shards/shard-outage';
import { LegacyMigrationStateRepository } from './legacy-migration-state.repository';
import { LegacyOrderIdRepository } from './legacy-order-id.repository';
import { LegacyOrderReader } from './legacy-order.reader';
import type { SqlClient } from './sql-client';

const UNDEFINED_DATABASE = '3D000';

/** Which store answered: the legacy tables (before `cutover reads`, or after a rollback) or the shards. */
export type LegacyOrderSource = 'legacy' | 'sharded';

export interface LegacyOrderFound {
  readonly legacyId: string;
  /** The eos order id, once the migration has mapped the order (null while only the legacy store has it). */
  readonly orderId: string | null;
  readonly source: LegacyOrderSource;
  /** The order in eos terms; its `id` is `orderId`, or '' while unmapped. */
  readonly order: Order;
}

/**
 * Resolves an old order id for its customer: "the legacy path" reads the legacy tables while the
 * read flag is off; once reads are cut over, the id mapping routes the old id to its new order on
 * its user shard. The flag is read on every call (one small catalog query), so `cutover reads` and
 * `rollback` take effect in every running instance at once, without a restart.
 */
export class LegacyOrderLookup {
  private readonly state = new LegacyMigrationStateRepository();
  private readonly ids = new LegacyOrderIdRepository();
  private readonly reader = new LegacyOrderReader();

  constructor(
    private readonly catalog: SqlClient,
    private readonly legacy: SqlClient,
    private readonly orders: UserOrderRepository,
  ) {}

  async find(legacyId: string, userId: string): Promise<LegacyOrderFound | null> {
    try {
      return await this.resolve(legacyId, userId);
    } catch (error) {
      // An unreachable (or never created) legacy or catalog database is a dependency outage for
      // the caller (503), not a fault of this service.
      if (isShardOutage(error) || (error as { code?: string }).code === UNDEFINED_DATABASE) {
        throw new DomainError(
          DomainErrorCode.DependencyUnavailable,
          'the legacy order lookup is unavailable (legacy or catalog database unreachable)',
        );
      }
      throw error;
    }
  }

  private async resolve(legacyId: string, userId: string): Promise<LegacyOrderFound | null> {
    const flags = await this.state.cutover(this.catalog);
    const mapped = flags.reads
      ? await this.ids.find(this.catalog, legacyId)
      : await this.findMapping(legacyId);
    if (flags.reads) {
      if (mapped === null || mapped.userId !== userId) return null;
      const order = await this.orders.findForUser(mapped.orderId, userId);
      return order && { legacyId, orderId: order.id, source: 'sharded', order };
    }
    const [record] = await this.reader.byIds(this.legacy, [legacyId]);
    if (record === undefined || record.userId !== userId) return null;
    const placed = mapLegacyOrder(record);
    // An order the mapper cannot place cannot be shown in the v1 shape either; it is on the
    // migration's reject list for an operator.
    if (!placed.ok) return null;
    const { order: migrated } = placed;
    const order: Order = {
      id: mapped?.orderId ?? '',
      userId: migrated.userId,
      merchantId: migrated.merchantId,
      kind: migrated.kind,
      status: migrated.status,
      items: migrated.items,
      subtotalCents: migrated.subtotalCents,
      packagingFeeCents: migrated.packagingFeeCents,
      deliveryFeeCents: migrated.deliveryFeeCents,
      discountCents: migrated.discountCents,
      totalCents: migrated.totalCents,
      currency: migrated.currency,
      address: migrated.address,
      note: migrated.note,
      version: 1,
      createdAt: migrated.createdAt,
      updatedAt: migrated.updatedAt,
      paymentDeadline: migrated.createdAt,
    };
    return { legacyId, orderId: mapped?.orderId ?? null, source: 'legacy', order };
  }

  /** The mapping if the migration's tables exist; before any migration ran, none. */
  private async findMapping(legacyId: string): Promise<{ orderId: string; userId: string } | null> {
    try {
      return await this.ids.find(this.catalog, legacyId);
    } catch (error) {
      if ((error as { code?: string }).code === '42P01') return null;
      throw error;
    }
  }
}
