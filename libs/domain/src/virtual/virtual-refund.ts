import { DomainError, DomainErrorCode } from '../domain.error';
import { VoucherStatus } from './voucher';

/**
 * What a virtual order's goods are like now, as far as a refund cares. `NOT_ISSUED`: the order
 * was not fulfilled (yet), or its line issues nothing that can be used up.
 */
export type VirtualGoodsState =
  | { readonly goods: 'NOT_ISSUED' }
  | { readonly goods: 'VOUCHER'; readonly code: string; readonly status: VoucherStatus }
  | {
      readonly goods: 'MEMBERSHIP_PERIOD';
      readonly startsAt: Date;
      readonly cancelled: boolean;
    };

/**
 * Whether a virtual order's goods may be refunded in full: an unused voucher or a period that has
 * not started may; a redeemed voucher (VOUCHER_ALREADY_REDEEMED) or a started period
 * (MEMBERSHIP_PERIOD_STARTED) may not. Goods already voided or cancelled were refunded before
 * (REVERSE_NOT_ALLOWED). The order's status is the reverse flow's own rule, checked beside this.
 */
export function assertVirtualRefundable(state: VirtualGoodsState, now: Date): void {
  switch (state.goods) {
    case 'NOT_ISSUED':
      return;
    case 'VOUCHER':
      if (state.status === VoucherStatus.Issued) return;
      if (state.status === VoucherStatus.Redeemed) {
        throw new DomainError(
          DomainErrorCode.VoucherAlreadyRedeemed,
          `voucher ${state.code} was redeemed: a used voucher is not refunded`,
          { code: state.code },
        );
      }
      throw new DomainError(DomainErrorCode.ReverseNotAllowed, `voucher ${state.code} was already voided`, {
        code: state.code,
      });
    case 'MEMBERSHIP_PERIOD':
      if (state.cancelled) {
        throw new DomainError(
          DomainErrorCode.ReverseNotAllowed,
          'the membership period was already cancelled',
        );
      }
      if (state.startsAt.getTime() <= now.getTime()) {
        throw new DomainError(
          DomainErrorCode.MembershipPeriodStarted,
          `the membership period started at ${state.startsAt.toISOString()}: a started period is not refunded`,
          { startsAt: state.startsAt.toISOString() },
        );
      }
      return;
  }
}
