import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { Permission } from '@eos/domain';
import { RefundRequests, StaffCancellation } from '@eos/ordering';
import { CurrentStaff } from '../staff/current-staff.decorator';
import { RequiresPermission } from '../staff/requires-permission.decorator';
import { StaffAuthGuard } from '../staff/staff-auth.guard';
import type { StaffMember } from '../staff/staff.directory';
import { CsOrderCase, CsOrderQueries, OrderSearchPage } from './cs-order-queries.service';
import { CsOrdersQuery } from './dto/cs-queries.dto';
import { RefundRequestDto, StaffCancelDto } from './dto/reverse-request.dto';
import {
  OrderStateView,
  StaffReverseRequestView,
  presentOrderState,
  presentStaffRequest,
} from './reverse-request.presenter';
import { orderIdParam } from './route-ids';

/** Customer service on orders: search, the whole case of one order, refunds filed for the customer, force-cancel. */
@Controller('v1/cs/orders')
@UseGuards(StaffAuthGuard)
export class CsOrdersController {
  constructor(
    private readonly queries: CsOrderQueries,
    private readonly refunds: RefundRequests,
    private readonly cancellation: StaffCancellation,
  ) {}

  @Get()
  @RequiresPermission(Permission.OrderRead)
  search(@Query() query: CsOrdersQuery): Promise<OrderSearchPage> {
    return this.queries.search(query);
  }

  @Get(':orderId')
  @RequiresPermission(Permission.OrderRead)
  orderCase(@Param('orderId') orderId: string): Promise<CsOrderCase> {
    return this.queries.orderCase(orderIdParam(orderId));
  }

  /** Files a refund request on the customer's behalf: this staff member is its maker. */
  @Post(':orderId/refunds')
  @HttpCode(201)
  @RequiresPermission(Permission.RefundRequest)
  async requestRefund(
    @CurrentStaff() staff: StaffMember,
    @Param('orderId') orderId: string,
    @Body() body: RefundRequestDto,
  ): Promise<{ request: StaffReverseRequestView; order: OrderStateView }> {
    const { request, order } = await this.refunds.requestByStaff(
      orderIdParam(orderId),
      staff,
      body.items,
      body.reason.trim(),
    );
    return { request: presentStaffRequest(request), order: presentOrderState(order) };
  }

  @Post(':orderId/cancel')
  @HttpCode(200)
  @RequiresPermission(Permission.OrderCancel)
  async cancel(
    @CurrentStaff() staff: StaffMember,
    @Param('orderId') orderId: string,
    @Body() body: StaffCancelDto,
  ): Promise<{ order: OrderStateView; rejectedRequests: StaffReverseRequestView[] }> {
    const { order, rejected } = await this.cancellation.cancel(
      orderIdParam(orderId),
      staff,
      body.reason.trim(),
      body.bearer ?? null,
    );
    return { order: presentOrderState(order), rejectedRequests: rejected.map(presentStaffRequest) };
  }
}
