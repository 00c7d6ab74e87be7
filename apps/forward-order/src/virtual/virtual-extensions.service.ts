import { Injectable } from '@nestjs/common';
import { Order, OrderKind } from '@eos/domain';
import { VirtualOrderRepository } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import { CustomerOrder } from '../orders/customer-order';

/**
 * Attaches virtual orders' extensions (lines, details, what fulfilment issued) to orders read from
 * the core table. Delivery-only pages cost nothing more; a page with virtual orders one query.
 */
@Injectable()
export class VirtualExtensions {
  constructor(
    private readonly repository: VirtualOrderRepository,
    private readonly router: ShardRouter,
  ) {}

  /** `orders` are one customer's, so all on one shard. */
  async attach(orders: readonly Order[]): Promise<CustomerOrder[]> {
    const virtualIds = orders.filter((order) => order.kind === OrderKind.Virtual).map((order) => order.id);
    if (virtualIds.length === 0) return orders.map((order) => ({ order, virtual: null }));
    const found = await this.repository.findExtensions(this.router.routeOrder(virtualIds[0]), virtualIds);
    return orders.map((order) => ({ order, virtual: found.get(order.id) ?? null }));
  }

  async attachOne(order: Order): Promise<CustomerOrder> {
    const [attached] = await this.attach([order]);
    return attached;
  }
}
