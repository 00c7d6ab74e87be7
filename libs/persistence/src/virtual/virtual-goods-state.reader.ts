import { VirtualGoodsState } from '@eos/domain';
import type { ShardTransaction } from '../reverse/shard-transaction';
import { MembershipRepository } from './membership.repository';
import { VoucherRepository } from './voucher.repository';

/**
 * What a refund of a virtual order needs to know about its goods: is its voucher redeemed, has
 * its membership period started? Read inside the reverse flow's transaction, and with `lock` the
 * voucher or period row stays locked until it ends, so a redemption cannot slip in between the
 * check (assertVirtualRefundable) and the refund.
 */
export class VirtualGoodsStateReader {
  constructor(
    private readonly vouchers: VoucherRepository,
    private readonly memberships: MembershipRepository,
  ) {}

  async stateOf(tx: ShardTransaction, orderId: string, lock: boolean): Promise<VirtualGoodsState> {
    const voucher = await this.vouchers.findByOrder(tx, orderId, lock);
    if (voucher) return { goods: 'VOUCHER', code: voucher.code, status: voucher.status };
    const period = await this.memberships.findByOrder(tx, orderId, lock);
    if (period)
      return {
        goods: 'MEMBERSHIP_PERIOD',
        startsAt: period.startsAt,
        cancelled: period.cancelledAt !== null,
      };
    return { goods: 'NOT_ISSUED' };
  }
}
