import { status } from '@grpc/grpc-js';
import { BlinkCallError } from '../grpc/blink-call.error';
import { PartnerRateLimiter, PartnerStreamLimiter } from './partner-rate.limiter';

function refusal(fn: () => unknown): BlinkCallError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BlinkCallError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('PartnerRateLimiter', () => {
  it('lets a burst through, refuses the next call, and refills at the rate', () => {
    let now = 1_000_000;
    const limiter = new PartnerRateLimiter(() => now);
    for (let call = 0; call < 3; call += 1) limiter.take('p1', 2, 3);
    const refused = refusal(() => limiter.take('p1', 2, 3));
    expect(refused.status).toBe(status.RESOURCE_EXHAUSTED);
    expect(refused.message).toContain('retry in 500 ms');
    now += 499;
    expect(() => limiter.take('p1', 2, 3)).toThrow(BlinkCallError);
    now += 1;
    limiter.take('p1', 2, 3);
    // Never more than the burst, however long the pause.
    now += 3_600_000;
    for (let call = 0; call < 3; call += 1) limiter.take('p1', 2, 3);
    expect(() => limiter.take('p1', 2, 3)).toThrow(BlinkCallError);
  });

  it('keeps one bucket per partner', () => {
    const limiter = new PartnerRateLimiter(() => 0);
    limiter.take('p1', 1, 1);
    expect(() => limiter.take('p1', 1, 1)).toThrow(BlinkCallError);
    expect(() => limiter.take('p2', 1, 1)).not.toThrow();
  });
});

describe('PartnerStreamLimiter', () => {
  it('refuses a stream beyond the limit until one is released, and counts a release once', () => {
    const limiter = new PartnerStreamLimiter(2);
    const first = limiter.acquire('p1');
    limiter.acquire('p1');
    expect(refusal(() => limiter.acquire('p1')).status).toBe(status.RESOURCE_EXHAUSTED);
    limiter.acquire('p2');
    first();
    first();
    limiter.acquire('p1');
    expect(() => limiter.acquire('p1')).toThrow(BlinkCallError);
  });
});
