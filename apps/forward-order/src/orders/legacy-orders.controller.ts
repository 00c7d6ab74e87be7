import { Controller, Get, Param, Res, UseGuards } from '@nestjs/common';
import { CustomerAuthGuard, CustomerId } from '@eos/common';
import type { FastifyReply } from 'fastify';
import { LegacyOrderQueryService } from './legacy-order-query.service';
import { OrderView, presentOrder } from './order.presenter';

export interface LegacyOrderView extends Omit<OrderView, 'id'> {
  /** The eos order id, or null while the migration has not mapped the order yet. */
  id: string | null;
  legacyId: string;
}

/**
 * Old clients keep their old order ids: `GET /v1/legacy-orders/:legacyId` answers from the legacy
 * tables until reads are cut over, then from the shards through the id mapping. The
 * `Eos-Order-Source` header says which store answered.
 */
@Controller('v1/legacy-orders')
@UseGuards(CustomerAuthGuard)
export class LegacyOrdersController {
  constructor(private readonly legacyOrders: LegacyOrderQueryService) {}

  @Get(':legacyId')
  async get(
    @CustomerId() userId: string,
    @Param('legacyId') legacyId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LegacyOrderView> {
    const found = await this.legacyOrders.get(userId, legacyId);
    void reply.header('Eos-Order-Source', found.source);
    return { ...presentOrder(found.order), id: found.orderId, legacyId: found.legacyId };
  }
}
