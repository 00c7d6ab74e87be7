import { Body, Controller, Headers, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { CustomerAuthGuard, CustomerId } from '@eos/common';
import type { FastifyReply } from 'fastify';
import { OrderView, presentCustomerOrder } from '../orders/order.presenter';
import { CreateVirtualOrderDto } from './dto/create-virtual-order.dto';
import { VirtualCheckoutService } from './virtual-checkout.service';

/** Virtual orders are read and listed with every other order, under /v1/orders. */
@Controller('v1/virtual-orders')
@UseGuards(CustomerAuthGuard)
export class VirtualOrdersController {
  constructor(private readonly checkout: VirtualCheckoutService) {}

  @Post()
  @HttpCode(201)
  async create(
    @CustomerId() userId: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: CreateVirtualOrderDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderView> {
    const { order, replayed } = await this.checkout.create(userId, key, body);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    return presentCustomerOrder(order);
  }
}
