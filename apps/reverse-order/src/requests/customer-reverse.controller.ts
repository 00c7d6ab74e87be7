import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { CustomerAuthGuard, CustomerId } from '@eos/common';
import { CustomerCancellations, RefundRequests } from '@eos/ordering';
import { CustomerReverseQueries } from './customer-reverse-queries.service';
import { CancellationDto, RefundRequestDto } from './dto/reverse-request.dto';
import {
  CustomerReverseRequestView,
  OrderStateView,
  presentCustomerRequest,
  presentOrderState,
} from './reverse-request.presenter';
import { orderIdParam } from './route-ids';

interface CustomerReverseAnswer {
  request: CustomerReverseRequestView;
  order: OrderStateView;
}

/** The customer's side of the reverse flow, on their own orders only. */
@Controller('v1/orders/:orderId')
@UseGuards(CustomerAuthGuard)
export class CustomerReverseController {
  constructor(
    private readonly cancellations: CustomerCancellations,
    private readonly refunds: RefundRequests,
    private readonly queries: CustomerReverseQueries,
  ) {}

  /**
   * Immediate before the merchant accepts; after, a request the merchant decides. A virtual order
   * is cancelled at once, its unused goods taken back (used ones refuse it).
   */
  @Post('cancellation')
  @HttpCode(201)
  async cancel(
    @CustomerId() userId: string,
    @Param('orderId') orderId: string,
    @Body() body: CancellationDto,
  ): Promise<CustomerReverseAnswer> {
    const { request, order } = await this.cancellations.request(
      orderIdParam(orderId),
      userId,
      body.reason.trim(),
    );
    return { request: presentCustomerRequest(request), order: presentOrderState(order) };
  }

  /** A request customer service decides; for a virtual order, the same as its cancellation. */
  @Post('refunds')
  @HttpCode(201)
  async requestRefund(
    @CustomerId() userId: string,
    @Param('orderId') orderId: string,
    @Body() body: RefundRequestDto,
  ): Promise<CustomerReverseAnswer> {
    const { request, order } = await this.refunds.requestByCustomer(
      orderIdParam(orderId),
      userId,
      body.items,
      body.reason.trim(),
    );
    return { request: presentCustomerRequest(request), order: presentOrderState(order) };
  }

  @Get('reverse-requests')
  async list(
    @CustomerId() userId: string,
    @Param('orderId') orderId: string,
  ): Promise<{ items: CustomerReverseRequestView[] }> {
    const requests = await this.queries.listForOrder(userId, orderIdParam(orderId));
    return { items: requests.map(presentCustomerRequest) };
  }
}
