import { DomainError, DomainErrorCode } from '../domain.error';
import { RefundStatus } from './reverse-request';

export interface RefundRetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  /** Longest wait between attempts; one hour when absent. */
  readonly maxDelayMs?: number;
}

export type AttemptOutcome =
  { readonly status: 'PENDING'; readonly nextAttemptAt: Date } | { readonly status: 'FAILED' };

const DEFAULT_MAX_DELAY_MS = 60 * 60 * 1000;

/**
 * After failed attempt number `attempts` (1-based: the attempt just made): FAILED once
 * attempts >= maxAttempts, else PENDING at now + min(base * 2^(attempts-1), maxDelayMs ?? 1 hour).
 * Exponential backoff spares a provider that is down; the cap keeps a refund from waiting for days.
 */
export function afterFailedAttempt(attempts: number, now: Date, policy: RefundRetryPolicy): AttemptOutcome {
  if (!Number.isSafeInteger(attempts) || attempts < 1) {
    throw new Error(`attempts must be a positive integer, got ${attempts}`);
  }
  if (attempts >= policy.maxAttempts) return { status: RefundStatus.Failed };
  const delayMs = Math.min(
    policy.baseDelayMs * 2 ** (attempts - 1),
    policy.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
  );
  return { status: RefundStatus.Pending, nextAttemptAt: new Date(now.getTime() + delayMs) };
}

/** Only a FAILED refund may be retried by staff; anything else is ILLEGAL_TRANSITION. */
export function assertRetryable(status: RefundStatus): void {
  if (status !== RefundStatus.Failed) {
    throw new DomainError(
      DomainErrorCode.IllegalTransition,
      `cannot RETRY a refund that is ${String(status)}`,
      {
        from: status,
        action: 'RETRY',
      },
    );
  }
}

const REFUND_STATUSES: readonly string[] = Object.values(RefundStatus);

export function isRefundStatus(value: unknown): value is RefundStatus {
  return typeof value === 'string' && REFUND_STATUSES.includes(value);
}
