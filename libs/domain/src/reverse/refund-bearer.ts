import { RefundReason } from '../refund';
import { RefundBearer } from './reverse-request';

/**
 * Who pays for a refund when nobody says otherwise. The merchant bears what it caused or agreed to
 * (refused or ignored a paid order, approved a cancellation); the platform bears payment mishaps
 * and cancellations made before the merchant started or decided by customer service.
 * A Record, so that a new reason does not compile until it has a bearer.
 */
const DEFAULT_BEARERS: Readonly<Record<RefundReason, RefundBearer>> = {
  [RefundReason.MerchantRejected]: RefundBearer.Merchant,
  [RefundReason.AcceptanceTimeout]: RefundBearer.Merchant,
  [RefundReason.CancellationApproved]: RefundBearer.Merchant,
  [RefundReason.PaidAfterCancellation]: RefundBearer.Platform,
  [RefundReason.DuplicatePayment]: RefundBearer.Platform,
  [RefundReason.CustomerCancelled]: RefundBearer.Platform,
  [RefundReason.StaffCancelled]: RefundBearer.Platform,
  // The merchant delivered what was sold; taking unused goods back is the platform's promise.
  [RefundReason.UnusedGoodsReturned]: RefundBearer.Platform,
};

/** MERCHANT_REJECTED, ACCEPTANCE_TIMEOUT, CANCELLATION_APPROVED -> MERCHANT; the others -> PLATFORM. */
export function defaultBearer(reason: RefundReason): RefundBearer {
  if (!isRefundReason(reason)) throw new Error(`unknown refund reason ${String(reason)}`);
  return DEFAULT_BEARERS[reason];
}

const BEARERS: readonly string[] = Object.values(RefundBearer);
const REASONS: readonly string[] = Object.values(RefundReason);

export function isRefundBearer(value: unknown): value is RefundBearer {
  return typeof value === 'string' && BEARERS.includes(value);
}

export function isRefundReason(value: unknown): value is RefundReason {
  return typeof value === 'string' && REASONS.includes(value);
}
