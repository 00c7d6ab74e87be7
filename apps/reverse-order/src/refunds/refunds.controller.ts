import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { Permission } from '@eos/domain';
import { CurrentStaff } from '../staff/current-staff.decorator';
import { RequiresPermission } from '../staff/requires-permission.decorator';
import { StaffAuthGuard } from '../staff/staff-auth.guard';
import type { StaffMember } from '../staff/staff.directory';
import { ListRefundsQuery } from './dto/list-refunds.query';
import { RefundIdParam } from './dto/refund-id.param';
import { RetryRefundDto } from './dto/retry-refund.dto';
import { RefundView, presentRefund } from './refund.presenter';
import { StaffRefunds } from './staff-refunds.service';

const DEFAULT_LIST_LIMIT = 50;

@Controller('v1/cs/refunds')
@UseGuards(StaffAuthGuard)
export class RefundsController {
  constructor(private readonly refunds: StaffRefunds) {}

  /** FAILED refunds, most recently failed first: what waits for a staff retry. */
  @Get()
  @RequiresPermission(Permission.OrderRead)
  async list(@Query() query: ListRefundsQuery): Promise<{ items: RefundView[] }> {
    const items = await this.refunds.listFailed(query.limit ?? DEFAULT_LIST_LIMIT);
    return { items: items.map(presentRefund) };
  }

  /** A FAILED refund goes back to the provider with a fresh budget of attempts. */
  @Post(':refundId/retry')
  @HttpCode(200)
  @RequiresPermission(Permission.RefundRetry)
  async retry(
    @Param() params: RefundIdParam,
    @Body() body: RetryRefundDto,
    @CurrentStaff() staff: StaffMember,
  ): Promise<RefundView> {
    return presentRefund(await this.refunds.retry(params.refundId, staff.id, body.reason));
  }
}
