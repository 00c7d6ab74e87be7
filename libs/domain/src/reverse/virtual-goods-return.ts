import { OrderKind } from '../order-kind';
import { OrderStatus } from '../order-status';
import { VirtualGoodsState, assertVirtualRefundable } from '../virtual/virtual-refund';
import { VoucherStatus } from '../virtual/voucher';
import { ReversibleOrder } from './customer-reverse-path';

/** Who takes a virtual order's goods back, and so under which rule. */
export const GoodsReturnMode = {
  /** The customer: only unused goods come back (assertVirtualRefundable), else the refund is refused. */
  Customer: 'CUSTOMER',
  /**
   * Customer service forcing a cancellation: whatever can still be used is taken back, used or
   * not (a started period ends now); what was used up stays as it is, and the audit shows it.
   */
  StaffForce: 'STAFF_FORCE',
} as const;
export type GoodsReturnMode = (typeof GoodsReturnMode)[keyof typeof GoodsReturnMode];

/** What cancelling a virtual order takes back from its goods. */
export type GoodsReturn =
  | { readonly take: 'NOTHING' }
  | { readonly take: 'VOUCHER'; readonly code: string }
  | { readonly take: 'MEMBERSHIP_PERIOD' };

const NOTHING: GoodsReturn = { take: 'NOTHING' };

/**
 * Whether a cancellation must take goods back first: only a fulfilled virtual order holds any.
 * Before fulfilment nothing was issued (and fulfilment's version guard loses to the cancellation).
 */
export function holdsIssuedGoods(order: ReversibleOrder): boolean {
  return order.kind === OrderKind.Virtual && order.status === OrderStatus.Fulfilled;
}

/**
 * What to take back of goods in `state` at `now`. The customer's return refuses a redeemed voucher
 * (VOUCHER_ALREADY_REDEEMED), a started period (MEMBERSHIP_PERIOD_STARTED) and goods already taken
 * back (REVERSE_NOT_ALLOWED), changing nothing; an unused voucher is voided, an unstarted period
 * cancelled. Staff force: an issued voucher is voided, a period not cancelled is cancelled even if
 * it runs; a redeemed voucher was used up and stays REDEEMED.
 */
export function decideGoodsReturn(state: VirtualGoodsState, now: Date, mode: GoodsReturnMode): GoodsReturn {
  // Anything but an explicit force gets the customer's rule: the strict one.
  if (mode !== GoodsReturnMode.StaffForce) assertVirtualRefundable(state, now);
  switch (state.goods) {
    case 'NOT_ISSUED':
      return NOTHING;
    case 'VOUCHER':
      return state.status === VoucherStatus.Issued ? { take: 'VOUCHER', code: state.code } : NOTHING;
    case 'MEMBERSHIP_PERIOD':
      return state.cancelled ? NOTHING : { take: 'MEMBERSHIP_PERIOD' };
  }
}
