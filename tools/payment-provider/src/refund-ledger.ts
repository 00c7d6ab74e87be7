import { randomBytes } from 'node:crypto';

/** What a refund call asks for (the body of `POST /v1/refunds`). */
export interface RefundCall {
  readonly refundId: string;
  readonly orderId: string;
  readonly amountCents: number;
  readonly currency: string;
}

/** A refund the provider paid out. */
export interface PaidRefund extends RefundCall {
  readonly providerRefundId: string;
  readonly idempotencyKey: string;
  readonly paidAt: string;
}

/**
 * Injected failures of an order's next calls: `error` answers 503 and pays nothing; `timeout` pays
 * the refund but never answers (the caller times out, as when a real provider's answer is lost),
 * so only the idempotency key stops the caller's retry from paying twice.
 */
export type FailureMode = 'error' | 'timeout';

export type LedgerAnswer =
  | { readonly kind: 'paid'; readonly refund: PaidRefund }
  | { readonly kind: 'key-reused' }
  | { readonly kind: 'unavailable' }
  | { readonly kind: 'withheld'; readonly refund: PaidRefund };

interface PlannedFailures {
  readonly mode: FailureMode;
  remaining: number;
}

function requestDigest(call: RefundCall): string {
  return JSON.stringify([call.refundId, call.orderId, call.amountCents, call.currency]);
}

/**
 * The simulated provider's books, in memory (a simulator: a restart forgets everything). Every
 * method runs to completion without awaiting, so two calls with the same key can never both pay.
 */
export class RefundLedger {
  private readonly byKey = new Map<string, { digest: string; refund: PaidRefund }>();
  private readonly byOrder = new Map<string, PaidRefund[]>();
  private readonly failures = new Map<string, PlannedFailures>();
  private readonly calls = new Map<string, number>();

  /**
   * Answers a refund call. The first successful call under a key pays; the same key again gets
   * that same refund back; the same key with another body is refused. Injected failures are used
   * up one call at a time, before the key is looked at.
   */
  refund(idempotencyKey: string, call: RefundCall): LedgerAnswer {
    this.calls.set(call.orderId, (this.calls.get(call.orderId) ?? 0) + 1);
    const known = this.byKey.get(idempotencyKey);
    if (known && known.digest !== requestDigest(call)) return { kind: 'key-reused' };
    const planned = this.failures.get(call.orderId);
    if (planned && planned.remaining > 0) {
      planned.remaining -= 1;
      if (planned.remaining === 0) this.failures.delete(call.orderId);
      if (planned.mode === 'error') return { kind: 'unavailable' };
      return { kind: 'withheld', refund: known?.refund ?? this.pay(idempotencyKey, call) };
    }
    return { kind: 'paid', refund: known?.refund ?? this.pay(idempotencyKey, call) };
  }

  /** The next `count` calls for the order fail in `mode` (replacing what was planned before). */
  injectFailures(orderId: string, count: number, mode: FailureMode): void {
    if (count === 0) this.failures.delete(orderId);
    else this.failures.set(orderId, { mode, remaining: count });
  }

  /** Refunds paid for the order, in the order they were paid. */
  paidFor(orderId: string): readonly PaidRefund[] {
    return this.byOrder.get(orderId) ?? [];
  }

  /** Refund calls received for the order (signed and well-formed), whatever their answer. */
  callsFor(orderId: string): number {
    return this.calls.get(orderId) ?? 0;
  }

  private pay(idempotencyKey: string, call: RefundCall): PaidRefund {
    const refund: PaidRefund = {
      ...call,
      providerRefundId: `re_${randomBytes(12).toString('hex')}`,
      idempotencyKey,
      paidAt: new Date().toISOString(),
    };
    this.byKey.set(idempotencyKey, { digest: requestDigest(call), refund });
    this.byOrder.set(call.orderId, [...this.paidFor(call.orderId), refund]);
    return refund;
  }
}
