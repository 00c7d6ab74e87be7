import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  Order,
  VOUCHER_ALPHABET,
  VOUCHER_SECRET_LENGTH,
  VirtualOrderExtension,
  VoucherStatus,
  voucherCode,
} from '@eos/domain';
import { ShardTransaction, VoucherRepository } from '@eos/persistence';
import { FulfilmentResult, VirtualFulfilmentHandler } from '../virtual-business-line';

function voucherSecret(): string {
  let secret = '';
  for (let i = 0; i < VOUCHER_SECRET_LENGTH; i += 1)
    secret += VOUCHER_ALPHABET[randomInt(VOUCHER_ALPHABET.length)];
  return secret;
}

/** Breakfast: one voucher per order, redeemable once at the counter for everything the order bought. */
@Injectable()
export class BreakfastVoucherHandler implements VirtualFulfilmentHandler {
  constructor(private readonly vouchers: VoucherRepository) {}

  async fulfil(
    order: Order,
    extension: VirtualOrderExtension,
    tx: ShardTransaction,
  ): Promise<FulfilmentResult> {
    const code = voucherCode(order.id, voucherSecret());
    await this.vouchers.issue(tx, {
      code,
      orderId: order.id,
      userId: order.userId,
      businessLine: extension.businessLine,
      status: VoucherStatus.Issued,
      issuedAt: order.updatedAt,
      redeemedAt: null,
    });
    return { voucherCode: code };
  }
}
