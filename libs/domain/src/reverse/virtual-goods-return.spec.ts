import fc from 'fast-check';
import { DomainError, DomainErrorCode } from '../domain.error';
import { ORDER_KINDS, OrderKind } from '../order-kind';
import { ORDER_STATUSES, OrderStatus } from '../order-status';
import { VirtualGoodsState, assertVirtualRefundable } from '../virtual/virtual-refund';
import { VoucherStatus } from '../virtual/voucher';
import { GoodsReturn, GoodsReturnMode, decideGoodsReturn, holdsIssuedGoods } from './virtual-goods-return';

const NOW = new Date('2024-05-01T00:00:00Z');
const CODE = '1-ABCDEFGH';
const LATER = new Date(NOW.getTime() + 1);
const EARLIER = new Date(NOW.getTime() - 1);

const voucher = (status: VoucherStatus): VirtualGoodsState => ({ goods: 'VOUCHER', code: CODE, status });
const period = (startsAt: Date, cancelled = false): VirtualGoodsState => ({
  goods: 'MEMBERSHIP_PERIOD',
  startsAt,
  cancelled,
});

function outcome(state: VirtualGoodsState, mode: GoodsReturnMode): GoodsReturn | string {
  try {
    return decideGoodsReturn(state, NOW, mode);
  } catch (error: unknown) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe('holdsIssuedGoods', () => {
  it.each(
    ORDER_KINDS.flatMap((kind) => ORDER_STATUSES.map((status): [OrderKind, OrderStatus] => [kind, status])),
  )('%s %s', (kind, status) => {
    expect(holdsIssuedGoods({ kind, status })).toBe(
      kind === OrderKind.Virtual && status === OrderStatus.Fulfilled,
    );
  });
});

describe('decideGoodsReturn', () => {
  describe('the customer gives back unused goods only', () => {
    it.each<[string, VirtualGoodsState, GoodsReturn | string]>([
      ['nothing issued', { goods: 'NOT_ISSUED' }, { take: 'NOTHING' }],
      ['an unused voucher is voided', voucher(VoucherStatus.Issued), { take: 'VOUCHER', code: CODE }],
      ['a redeemed voucher', voucher(VoucherStatus.Redeemed), DomainErrorCode.VoucherAlreadyRedeemed],
      ['a voided voucher', voucher(VoucherStatus.Voided), DomainErrorCode.ReverseNotAllowed],
      ['a period not started is cancelled', period(LATER), { take: 'MEMBERSHIP_PERIOD' }],
      ['a period starting now', period(NOW), DomainErrorCode.MembershipPeriodStarted],
      ['a running period', period(EARLIER), DomainErrorCode.MembershipPeriodStarted],
      ['a cancelled period', period(LATER, true), DomainErrorCode.ReverseNotAllowed],
    ])('%s', (_name, state, expected) => {
      expect(outcome(state, GoodsReturnMode.Customer)).toEqual(expected);
    });
  });

  describe('staff force the cancellation', () => {
    it.each<[string, VirtualGoodsState, GoodsReturn]>([
      ['nothing issued', { goods: 'NOT_ISSUED' }, { take: 'NOTHING' }],
      ['an unused voucher is voided', voucher(VoucherStatus.Issued), { take: 'VOUCHER', code: CODE }],
      ['a redeemed voucher stays redeemed', voucher(VoucherStatus.Redeemed), { take: 'NOTHING' }],
      ['a voided voucher', voucher(VoucherStatus.Voided), { take: 'NOTHING' }],
      ['a period not started is cancelled', period(LATER), { take: 'MEMBERSHIP_PERIOD' }],
      ['a running period is cancelled too', period(EARLIER), { take: 'MEMBERSHIP_PERIOD' }],
      ['a cancelled period', period(LATER, true), { take: 'NOTHING' }],
    ])('%s', (_name, state, expected) => {
      expect(outcome(state, GoodsReturnMode.StaffForce)).toEqual(expected);
    });
  });

  it('treats an unknown mode as the customer, the stricter rule', () => {
    expect(outcome(voucher(VoucherStatus.Redeemed), 'LOST' as GoodsReturnMode)).toBe(
      DomainErrorCode.VoucherAlreadyRedeemed,
    );
  });

  it('takes back from the customer exactly when assertVirtualRefundable allows, and never more than staff would', () => {
    const state = fc.oneof(
      fc.constant<VirtualGoodsState>({ goods: 'NOT_ISSUED' }),
      fc.constantFrom(...Object.values(VoucherStatus)).map(voucher),
      fc
        .record({ offset: fc.integer({ min: -5, max: 5 }), cancelled: fc.boolean() })
        .map(({ offset, cancelled }) => period(new Date(NOW.getTime() + offset), cancelled)),
    );
    fc.assert(
      fc.property(state, (goods) => {
        const allowed = (() => {
          try {
            assertVirtualRefundable(goods, NOW);
            return true;
          } catch {
            return false;
          }
        })();
        const customer = outcome(goods, GoodsReturnMode.Customer);
        expect(typeof customer !== 'string').toBe(allowed);
        if (typeof customer !== 'string') {
          expect(customer).toEqual(outcome(goods, GoodsReturnMode.StaffForce));
        }
      }),
    );
  });
});
