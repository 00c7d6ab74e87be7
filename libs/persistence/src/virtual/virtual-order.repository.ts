import type { ShardRoute, ShardRouter } from '@eos/sharding';
import type { PoolClient } from 'pg';
import type { CheckoutOutcome } from '../orders/user-order.repository';
import type { ShardDataSources } from '../shards/shard-data-sources';
import { onShard } from '../shards/shard-failure';
import { VirtualCheckoutWrite, virtualCheckoutQuery } from './virtual-checkout.sql';
import {
  VirtualExtensionRecord,
  VirtualExtensionRow,
  virtualExtensionFromRow,
  virtualExtensionSelect,
} from './virtual-order.row';

/** Virtual orders' creation and their extension rows, on the user shard of the order. */
export class VirtualOrderRepository {
  constructor(
    private readonly sources: ShardDataSources,
    private readonly router: ShardRouter,
  ) {}

  async insert(write: VirtualCheckoutWrite): Promise<CheckoutOutcome> {
    const route = this.router.routeUser(write.virtualOrder.order.userId);
    return onShard(route.database, async () => {
      // The raw pg client, because only pg itself sends a named (prepared) statement.
      const runner = this.sources.get(route.database).createQueryRunner();
      try {
        const client = (await runner.connect()) as PoolClient;
        const result = await client.query<{ order_id: string }>(virtualCheckoutQuery(route.schema, write));
        return { created: result.rows.length === 1 };
      } finally {
        await runner.release();
      }
    });
  }

  /** The extensions of some orders of one shard, by order id; orders without one are left out. */
  async findExtensions(
    route: ShardRoute,
    orderIds: readonly string[],
  ): Promise<Map<string, VirtualExtensionRecord>> {
    if (orderIds.length === 0) return new Map();
    return onShard(route.database, async () => {
      const rows: VirtualExtensionRow[] = await this.sources
        .get(route.database)
        .query(virtualExtensionSelect(route.schema), [orderIds]);
      return new Map(rows.map((row) => [row.order_id, virtualExtensionFromRow(row)]));
    });
  }

  async findExtension(orderId: string): Promise<VirtualExtensionRecord | null> {
    const found = await this.findExtensions(this.router.routeOrder(orderId), [orderId]);
    return found.get(orderId) ?? null;
  }
}
