import { DomainError, DomainErrorCode } from '../domain.error';

/** A redeemable voucher's life: issued at fulfilment, redeemed once, or voided by a refund. */
export const VoucherStatus = {
  Issued: 'ISSUED',
  Redeemed: 'REDEEMED',
  Voided: 'VOIDED',
} as const;
export type VoucherStatus = (typeof VoucherStatus)[keyof typeof VoucherStatus];

export interface Voucher {
  readonly code: string;
  readonly orderId: string;
  readonly userId: string;
  readonly businessLine: string;
  readonly status: VoucherStatus;
  readonly issuedAt: Date;
  readonly redeemedAt: Date | null;
}

/** Letters and digits that cannot be misread for one another (no 0/O, 1/I). */
export const VOUCHER_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const VOUCHER_SECRET_LENGTH = 8;

const VOUCHER_CODE = new RegExp(`^([1-9][0-9]{0,18})-([${VOUCHER_ALPHABET}]{${VOUCHER_SECRET_LENGTH}})$`);

/**
 * A voucher's code: its order id, so the code routes to the order's shard with no lookup, and a
 * random secret, so knowing an order id is not enough to guess its voucher.
 */
export function voucherCode(orderId: string, secret: string): string {
  const code = `${orderId}-${secret}`;
  if (!VOUCHER_CODE.test(code)) throw new Error(`not a voucher code: order ${orderId}, secret ${secret}`);
  return code;
}

/** The order id a code names, or null when the text is not a voucher code at all. */
export function orderIdOfVoucherCode(code: string): string | null {
  return VOUCHER_CODE.exec(code)?.[1] ?? null;
}

/** Redeems a voucher: once. A second redemption, or one of a voided voucher, is refused. */
export function redeemVoucher(voucher: Voucher, at: Date): Voucher {
  switch (voucher.status) {
    case VoucherStatus.Issued:
      return { ...voucher, status: VoucherStatus.Redeemed, redeemedAt: at };
    case VoucherStatus.Redeemed:
      throw new DomainError(
        DomainErrorCode.VoucherAlreadyRedeemed,
        `voucher ${voucher.code} was redeemed at ${voucher.redeemedAt?.toISOString() ?? 'an earlier time'}`,
        { code: voucher.code, redeemedAt: voucher.redeemedAt?.toISOString() ?? null },
      );
    case VoucherStatus.Voided:
      throw new DomainError(
        DomainErrorCode.VoucherVoided,
        `voucher ${voucher.code} was voided: its order was refunded`,
        { code: voucher.code },
      );
  }
}
