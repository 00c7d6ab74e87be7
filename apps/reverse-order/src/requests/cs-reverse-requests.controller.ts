import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { Permission } from '@eos/domain';
import { StaffDecisionOutcome, StaffDecisions } from '@eos/ordering';
import { CurrentStaff } from '../staff/current-staff.decorator';
import { RequiresPermission } from '../staff/requires-permission.decorator';
import { StaffAuthGuard } from '../staff/staff-auth.guard';
import type { StaffMember } from '../staff/staff.directory';
import { ApproveDto, RejectDto } from './dto/reverse-request.dto';
import {
  OrderStateView,
  StaffReverseRequestView,
  presentOrderState,
  presentStaffRequest,
} from './reverse-request.presenter';
import { reverseRequestIdParam } from './route-ids';

interface DecisionAnswer {
  request: StaffReverseRequestView;
  order: OrderStateView;
  /** The PENDING refund an approved refund request created, for the refund executor. */
  refundId: string | null;
}

function answer(outcome: StaffDecisionOutcome): DecisionAnswer {
  return {
    request: presentStaffRequest(outcome.request),
    order: presentOrderState(outcome.order),
    refundId: outcome.refundId,
  };
}

/**
 * Customer service decides reverse requests. Approval is refund.approve, its amount ceiling
 * checked on the amount the approval pays out; above TWO_PERSON_THRESHOLD_CENTS it needs a second,
 * different staff member (neither the requester nor the first approver).
 */
@Controller('v1/cs/reverse-requests/:requestId')
@UseGuards(StaffAuthGuard)
export class CsReverseRequestsController {
  constructor(private readonly decisions: StaffDecisions) {}

  @Post('approve')
  @HttpCode(200)
  @RequiresPermission(Permission.RefundApprove)
  async approve(
    @CurrentStaff() staff: StaffMember,
    @Param('requestId') requestId: string,
    @Body() body: ApproveDto,
  ): Promise<DecisionAnswer> {
    return answer(
      await this.decisions.approve(reverseRequestIdParam(requestId), staff, {
        reason: body.reason?.trim() ?? null,
        bearer: body.bearer,
      }),
    );
  }

  @Post('reject')
  @HttpCode(200)
  @RequiresPermission(Permission.ReverseReject)
  async reject(
    @CurrentStaff() staff: StaffMember,
    @Param('requestId') requestId: string,
    @Body() body: RejectDto,
  ): Promise<DecisionAnswer> {
    return answer(await this.decisions.reject(reverseRequestIdParam(requestId), staff, body.reason.trim()));
  }
}
