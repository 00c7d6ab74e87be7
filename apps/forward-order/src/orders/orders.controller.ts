import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { CustomerAuthGuard, CustomerId } from '@eos/common';
import { OrderTransitions } from '@eos/ordering';
import type { FastifyReply } from 'fastify';
import { CheckoutService } from './checkout.service';
import { CheckoutDto } from './dto/checkout.dto';
import { ListOrdersQuery } from './dto/list-orders.query';
import { OrderView, presentCustomerOrder, presentOrder } from './order.presenter';
import { OrderQueryService } from './order-query.service';

@Controller('v1/orders')
@UseGuards(CustomerAuthGuard)
export class OrdersController {
  constructor(
    private readonly checkoutService: CheckoutService,
    private readonly queries: OrderQueryService,
    private readonly transitions: OrderTransitions,
  ) {}

  @Post()
  @HttpCode(201)
  async checkout(
    @CustomerId() userId: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: CheckoutDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderView> {
    const { order, replayed } = await this.checkoutService.checkout(userId, key, body);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    return presentOrder(order);
  }

  @Get(':orderId')
  async get(@CustomerId() userId: string, @Param('orderId') orderId: string): Promise<OrderView> {
    return presentCustomerOrder(await this.queries.get(userId, orderId));
  }

  /** The customer has the order: DELIVERED -> COMPLETED. */
  @Post(':orderId/confirm-receipt')
  @HttpCode(200)
  async confirmReceipt(@CustomerId() userId: string, @Param('orderId') orderId: string): Promise<OrderView> {
    return presentOrder(await this.transitions.confirmReceipt(orderId, userId));
  }

  @Get()
  async list(
    @CustomerId() userId: string,
    @Query() query: ListOrdersQuery,
  ): Promise<{ items: OrderView[]; nextCursor: string | null }> {
    const page = await this.queries.list(userId, query);
    return { items: page.items.map(presentCustomerOrder), nextCursor: page.nextCursor };
  }
}
