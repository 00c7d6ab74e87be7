import { Injectable } from '@nestjs/common';
import {
  DomainError,
  DomainErrorCode,
  Voucher,
  isDomainError,
  orderIdOfVoucherCode,
  redeemVoucher,
} from '@eos/domain';
import { ShardTransactions, VoucherRepository } from '@eos/persistence';
import { ShardRoute, ShardRouter } from '@eos/sharding';
import { voucherRedemptions } from './virtual-goods.metrics';

function notFound(code: string): DomainError {
  return new DomainError(DomainErrorCode.VoucherNotFound, `voucher ${code} not found`);
}

/**
 * Redeems a customer's own voucher, once. The code names its order, so it routes to the order's
 * shard with no lookup; the voucher row is locked while the domain decides, so of two redemptions
 * at once exactly one succeeds and the other is VOUCHER_ALREADY_REDEEMED.
 */
@Injectable()
export class VoucherRedemptionService {
  constructor(
    private readonly vouchers: VoucherRepository,
    private readonly transactions: ShardTransactions,
    private readonly router: ShardRouter,
  ) {}

  async redeem(userId: string, code: string): Promise<Voucher> {
    const route = this.routeOf(code, userId);
    try {
      const redeemed = await this.transactions.run(route, async (tx) => {
        const voucher = await this.vouchers.lockForUser(tx, code, userId);
        if (!voucher) throw notFound(code);
        const next = redeemVoucher(voucher, new Date());
        await this.vouchers.saveRedemption(tx, next);
        return next;
      });
      voucherRedemptions.inc({ outcome: 'redeemed' });
      return redeemed;
    } catch (error) {
      if (isDomainError(error)) voucherRedemptions.inc({ outcome: error.code });
      throw error;
    }
  }

  /** Another customer's voucher, or text that is no voucher code, is indistinguishable from none. */
  private routeOf(code: string, userId: string): ShardRoute {
    const orderId = orderIdOfVoucherCode(code);
    if (orderId === null) throw notFound(code);
    let route: ShardRoute;
    try {
      route = this.router.routeOrder(orderId);
    } catch {
      throw notFound(code);
    }
    if (route.shard !== this.router.userShard(userId)) throw notFound(code);
    return route;
  }
}
