import { DomainError, DomainErrorCode } from '../domain.error';
import { afterFailedAttempt, assertRetryable, isRefundStatus } from './refund-execution';
import { RefundStatus } from './reverse-request';

const NOW = new Date('2024-05-01T12:00:00.000Z');
const at = (ms: number): Date => new Date(NOW.getTime() + ms);

describe('afterFailedAttempt', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 1000 };

  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
  ])('after attempt %i waits %i ms', (attempts, delayMs) => {
    expect(afterFailedAttempt(attempts, NOW, policy)).toEqual({
      status: 'PENDING',
      nextAttemptAt: at(delayMs),
    });
  });

  it('fails for good once the attempts are spent', () => {
    expect(afterFailedAttempt(5, NOW, policy)).toEqual({ status: 'FAILED' });
    expect(afterFailedAttempt(6, NOW, policy)).toEqual({ status: 'FAILED' });
    expect(afterFailedAttempt(1, NOW, { maxAttempts: 1, baseDelayMs: 1000 })).toEqual({ status: 'FAILED' });
  });

  it('caps the delay at maxDelayMs, or one hour by default', () => {
    expect(afterFailedAttempt(4, NOW, { ...policy, maxDelayMs: 5000 })).toEqual({
      status: 'PENDING',
      nextAttemptAt: at(5000),
    });
    expect(afterFailedAttempt(40, NOW, { maxAttempts: 50, baseDelayMs: 1000 })).toEqual({
      status: 'PENDING',
      nextAttemptAt: at(3_600_000),
    });
    expect(afterFailedAttempt(2000, NOW, { maxAttempts: 5000, baseDelayMs: 1000 })).toEqual({
      status: 'PENDING',
      nextAttemptAt: at(3_600_000),
    });
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses attempt number %p as a programming error', (attempts) => {
    expect(() => afterFailedAttempt(attempts, NOW, policy)).toThrow(/attempts/);
  });
});

describe('assertRetryable', () => {
  it('lets staff retry a FAILED refund', () => {
    expect(() => assertRetryable(RefundStatus.Failed)).not.toThrow();
  });

  it.each([RefundStatus.Pending, RefundStatus.Succeeded])('refuses to retry a %s refund', (status) => {
    let caught: unknown;
    try {
      assertRetryable(status);
    } catch (error: unknown) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).code).toBe(DomainErrorCode.IllegalTransition);
    expect((caught as DomainError).details).toEqual({ from: status, action: 'RETRY' });
  });
});

describe('isRefundStatus', () => {
  it.each(['PENDING', 'SUCCEEDED', 'FAILED'])('knows %s', (value) => {
    expect(isRefundStatus(value)).toBe(true);
  });

  it.each(['pending', 'toString', '', null, undefined, 1])('refuses %p', (value) => {
    expect(isRefundStatus(value)).toBe(false);
  });
});
