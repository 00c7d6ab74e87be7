import fc from 'fast-check';
import { DomainError, DomainErrorCode } from '../domain.error';
import {
  VOUCHER_ALPHABET,
  Voucher,
  VoucherStatus,
  orderIdOfVoucherCode,
  redeemVoucher,
  voucherCode,
} from './voucher';

const ISSUED: Voucher = {
  code: '123456789-ABCDEFGH',
  orderId: '123456789',
  userId: '42',
  businessLine: 'breakfast',
  status: VoucherStatus.Issued,
  issuedAt: new Date('2024-05-01T08:00:00Z'),
  redeemedAt: null,
};
const AT = new Date('2024-05-01T08:30:00Z');

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error: unknown) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

describe('voucher codes', () => {
  it('embed the order id, so a code routes to its shard, and give it back', () => {
    const secretArb = fc
      .array(fc.constantFrom(...VOUCHER_ALPHABET), { minLength: 8, maxLength: 8 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }), secretArb, (id, secret) => {
        expect(orderIdOfVoucherCode(voucherCode(String(id), secret))).toBe(String(id));
      }),
    );
  });

  it.each([
    '',
    '123',
    '123-',
    '-ABCDEFGH',
    '0123-ABCDEFGH',
    '123-ABCDEFG0',
    '123-abcdefgh',
    '123-ABCDEFGHJ',
    '1 2-ABCDEFGH',
  ])('reads %j as no voucher code at all', (text) => {
    expect(orderIdOfVoucherCode(text)).toBeNull();
  });

  it('refuses to make a code of a bad secret (a bug, not input)', () => {
    expect(() => voucherCode('123', 'short')).toThrow();
  });
});

describe('redeemVoucher', () => {
  it('redeems an issued voucher once and stamps the time', () => {
    expect(redeemVoucher(ISSUED, AT)).toEqual({ ...ISSUED, status: 'REDEEMED', redeemedAt: AT });
  });

  it('refuses a second redemption with VOUCHER_ALREADY_REDEEMED, naming when it was used', () => {
    const error = refusal(() => redeemVoucher(redeemVoucher(ISSUED, AT), AT));
    expect(error.code).toBe(DomainErrorCode.VoucherAlreadyRedeemed);
    expect(error.details).toEqual({ code: ISSUED.code, redeemedAt: AT.toISOString() });
  });

  it('refuses a voided voucher with VOUCHER_VOIDED', () => {
    expect(refusal(() => redeemVoucher({ ...ISSUED, status: VoucherStatus.Voided }, AT)).code).toBe(
      DomainErrorCode.VoucherVoided,
    );
  });
});
