import { DomainError, DomainErrorCode } from '../domain.error';
import { VirtualGoodsState, assertVirtualRefundable } from './virtual-refund';

const NOW = new Date('2024-05-01T00:00:00Z');

function outcome(state: VirtualGoodsState): string {
  try {
    assertVirtualRefundable(state, NOW);
    return 'REFUNDABLE';
  } catch (error: unknown) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe('assertVirtualRefundable', () => {
  it('refunds goods not issued yet', () => {
    expect(outcome({ goods: 'NOT_ISSUED' })).toBe('REFUNDABLE');
  });

  it('refunds an unused voucher, refuses a redeemed one with a clear code', () => {
    expect(outcome({ goods: 'VOUCHER', code: '1-ABCDEFGH', status: 'ISSUED' })).toBe('REFUNDABLE');
    expect(outcome({ goods: 'VOUCHER', code: '1-ABCDEFGH', status: 'REDEEMED' })).toBe(
      DomainErrorCode.VoucherAlreadyRedeemed,
    );
    expect(outcome({ goods: 'VOUCHER', code: '1-ABCDEFGH', status: 'VOIDED' })).toBe(
      DomainErrorCode.ReverseNotAllowed,
    );
  });

  it('refunds a membership period that has not started, refuses one that has', () => {
    const period = (startsAt: Date, cancelled = false): VirtualGoodsState => ({
      goods: 'MEMBERSHIP_PERIOD',
      startsAt,
      cancelled,
    });
    expect(outcome(period(new Date(NOW.getTime() + 1)))).toBe('REFUNDABLE');
    expect(outcome(period(NOW))).toBe(DomainErrorCode.MembershipPeriodStarted);
    expect(outcome(period(new Date(NOW.getTime() - 1)))).toBe(DomainErrorCode.MembershipPeriodStarted);
    expect(outcome(period(new Date(NOW.getTime() + 1), true))).toBe(DomainErrorCode.ReverseNotAllowed);
  });
});
