import { RefundReason } from '../refund';
import { defaultBearer, isRefundBearer, isRefundReason } from './refund-bearer';
import { RefundBearer } from './reverse-request';

describe('defaultBearer', () => {
  it.each([
    [RefundReason.MerchantRejected, RefundBearer.Merchant],
    [RefundReason.AcceptanceTimeout, RefundBearer.Merchant],
    [RefundReason.CancellationApproved, RefundBearer.Merchant],
    [RefundReason.PaidAfterCancellation, RefundBearer.Platform],
    [RefundReason.DuplicatePayment, RefundBearer.Platform],
    [RefundReason.CustomerCancelled, RefundBearer.Platform],
    [RefundReason.StaffCancelled, RefundBearer.Platform],
    [RefundReason.UnusedGoodsReturned, RefundBearer.Platform],
  ])('%s is borne by %s', (reason, bearer) => {
    expect(defaultBearer(reason)).toBe(bearer);
  });

  it('has a bearer for every reason', () => {
    for (const reason of Object.values(RefundReason))
      expect(isRefundBearer(defaultBearer(reason))).toBe(true);
  });

  it.each(['toString', '__proto__', 'LOST'])('refuses the unknown reason %j', (reason) => {
    expect(() => defaultBearer(reason as RefundReason)).toThrow(/unknown refund reason/);
  });
});

describe('guards', () => {
  it('recognises bearers', () => {
    for (const bearer of Object.values(RefundBearer)) expect(isRefundBearer(bearer)).toBe(true);
    for (const value of ['merchant', 'constructor', '', null, 3]) expect(isRefundBearer(value)).toBe(false);
  });

  it('recognises reasons', () => {
    for (const reason of Object.values(RefundReason)) expect(isRefundReason(reason)).toBe(true);
    for (const value of ['customer_cancelled', 'toString', '', undefined, {}])
      expect(isRefundReason(value)).toBe(false);
  });
});
