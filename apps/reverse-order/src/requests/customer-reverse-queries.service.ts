import { Injectable } from '@nestjs/common';
import { DomainError, DomainErrorCode } from '@eos/domain';
import { ReverseRequestRecord, ReverseRequestRepository, UserOrderRepository } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';

/** A customer's reads of the reverse requests of their own orders. */
@Injectable()
export class CustomerReverseQueries {
  constructor(
    private readonly orders: UserOrderRepository,
    private readonly requests: ReverseRequestRepository,
    private readonly router: ShardRouter,
  ) {}

  /** The requests of the caller's own order, oldest first; anyone else's order is ORDER_NOT_FOUND. */
  async listForOrder(userId: string, orderId: string): Promise<ReverseRequestRecord[]> {
    const order = await this.orders.findForUser(orderId, userId);
    if (!order) throw new DomainError(DomainErrorCode.OrderNotFound, `order ${orderId} not found`);
    return this.requests.listForOrder(this.router.routeOrder(orderId), orderId);
  }
}
