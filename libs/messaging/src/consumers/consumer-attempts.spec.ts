import { failedAttempts, failureVerdict } from './consumer-attempts';

describe('failedAttempts', () => {
  const queue = 'eos.merchant-projector';

  it('is 0 for a fresh message', () => {
    expect(failedAttempts({ headers: {} }, queue)).toBe(0);
    expect(failedAttempts({ headers: undefined }, queue)).toBe(0);
  });

  it('counts rejections and delivery limits in this queue only, not expiries of the retry queue', () => {
    const headers = {
      'x-death': [
        { queue: `${queue}.retry`, reason: 'expired', count: 3 },
        { queue, reason: 'rejected', count: 2 },
        { queue, reason: 'delivery_limit', count: 1 },
        { queue: 'eos.other', reason: 'rejected', count: 9 },
      ],
    };
    expect(failedAttempts({ headers }, queue)).toBe(3);
  });

  it('ignores malformed death records', () => {
    expect(failedAttempts({ headers: { 'x-death': 'nope' } }, queue)).toBe(0);
    expect(
      failedAttempts({ headers: { 'x-death': [{ queue, reason: 'rejected', count: 'x' }] } }, queue),
    ).toBe(0);
  });
});

describe('failureVerdict', () => {
  it('retries CONSUMER_MAX_RETRIES times, then parks', () => {
    expect([1, 2, 3, 4].map((attempt) => failureVerdict(attempt, 3))).toEqual([
      'retry',
      'retry',
      'retry',
      'park',
    ]);
    expect(failureVerdict(1, 0)).toBe('park');
  });
});
