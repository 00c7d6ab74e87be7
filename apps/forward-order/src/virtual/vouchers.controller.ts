import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { CustomerAuthGuard, CustomerId } from '@eos/common';
import { Voucher } from '@eos/domain';
import { VoucherRedemptionService } from './voucher-redemption.service';

export interface VoucherView {
  code: string;
  orderId: string;
  businessLine: string;
  status: string;
  issuedAt: string;
  redeemedAt: string | null;
}

function presentVoucher(voucher: Voucher): VoucherView {
  return {
    code: voucher.code,
    orderId: voucher.orderId,
    businessLine: voucher.businessLine,
    status: voucher.status,
    issuedAt: voucher.issuedAt.toISOString(),
    redeemedAt: voucher.redeemedAt?.toISOString() ?? null,
  };
}

@Controller('v1/vouchers')
@UseGuards(CustomerAuthGuard)
export class VouchersController {
  constructor(private readonly redemptions: VoucherRedemptionService) {}

  /** Once: a second redemption is 409 VOUCHER_ALREADY_REDEEMED; another's or unknown code 404. */
  @Post(':code/redeem')
  @HttpCode(200)
  async redeem(@CustomerId() userId: string, @Param('code') code: string): Promise<VoucherView> {
    return presentVoucher(await this.redemptions.redeem(userId, code));
  }
}
