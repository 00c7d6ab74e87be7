import { Injectable } from '@nestjs/common';
import { DomainError, DomainErrorCode } from '@eos/domain';
import { UserOrderRepository } from '@eos/persistence';
import { parseOrderId } from '@eos/sharding';
import { VirtualExtensions } from '../virtual/virtual-extensions.service';
import { CustomerOrder } from './customer-order';
import { ListOrdersQuery } from './dto/list-orders.query';

export interface OrderPage {
  readonly items: CustomerOrder[];
  readonly nextCursor: string | null;
}

const DEFAULT_PAGE = 20;

/** A customer's reads of their own orders, of every kind. */
@Injectable()
export class OrderQueryService {
  constructor(
    private readonly orders: UserOrderRepository,
    private readonly virtualExtensions: VirtualExtensions,
  ) {}

  async get(userId: string, orderId: string): Promise<CustomerOrder> {
    parseOrderId(orderId);
    const order = await this.orders.findForUser(orderId, userId);
    if (!order) throw new DomainError(DomainErrorCode.OrderNotFound, `order ${orderId} not found`);
    return this.virtualExtensions.attachOne(order);
  }

  async list(userId: string, query: ListOrdersQuery): Promise<OrderPage> {
    const limit = query.limit ?? DEFAULT_PAGE;
    if (query.cursor !== undefined) parseOrderId(query.cursor);
    const rows = await this.orders.listForUser(userId, {
      status: query.status,
      kind: query.kind,
      beforeId: query.cursor,
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    return {
      items: await this.virtualExtensions.attach(items),
      nextCursor: rows.length > limit ? items[items.length - 1].id : null,
    };
  }
}
