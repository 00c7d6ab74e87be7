import {
  GoodsReturn,
  GoodsReturnMode,
  Order,
  VirtualGoodsState,
  VoucherStatus,
  decideGoodsReturn,
  membershipEnd,
} from '@eos/domain';
import { ShardTransaction } from '@eos/persistence';
import { VirtualGoodsStore } from './virtual-goods-store';

/** What a cancellation found of a virtual order's goods, and what it took back. */
export interface ReturnedGoods {
  readonly before: VirtualGoodsState;
  readonly taken: GoodsReturn;
  readonly after: VirtualGoodsState;
}

/**
 * Takes a fulfilled virtual order's goods back inside the reverse step's transaction, the order
 * row already locked: the goods are read with their row locked (so a redemption cannot slip in
 * between the check and the write), the domain decides under `mode`, and an unused voucher is
 * voided or a period cancelled. A cancelled period moves the member's end back to the last period
 * still standing, so the next card chains from there. A refusal throws before anything is written.
 */
export async function returnVirtualGoodsWithin(
  goods: VirtualGoodsStore,
  tx: ShardTransaction,
  order: Order,
  mode: GoodsReturnMode,
  at: Date,
): Promise<ReturnedGoods> {
  const before = await goods.state.stateOf(tx, order.id, true);
  const taken = decideGoodsReturn(before, at, mode);
  switch (taken.take) {
    case 'NOTHING':
      return { before, taken, after: before };
    case 'VOUCHER':
      await goods.vouchers.void(tx, taken.code, at);
      return { before, taken, after: { goods: 'VOUCHER', code: taken.code, status: VoucherStatus.Voided } };
    case 'MEMBERSHIP_PERIOD': {
      const period = await goods.memberships.cancelPeriod(tx, order.id, at);
      const periods = await goods.memberships.lockLinePeriods(tx, period.userId, period.businessLine);
      await goods.memberships.setCurrentEnd(
        tx,
        period.userId,
        period.businessLine,
        membershipEnd(periods),
        at,
      );
      return {
        before,
        taken,
        after: { goods: 'MEMBERSHIP_PERIOD', startsAt: period.startsAt, cancelled: true },
      };
    }
  }
}

/** The goods as the audit log and the request's decision keep them. */
export function goodsSnapshot(state: VirtualGoodsState): Record<string, unknown> {
  switch (state.goods) {
    case 'NOT_ISSUED':
      return { goods: state.goods };
    case 'VOUCHER':
      return { goods: state.goods, code: state.code, status: state.status };
    case 'MEMBERSHIP_PERIOD':
      return { goods: state.goods, startsAt: state.startsAt.toISOString(), cancelled: state.cancelled };
  }
}
