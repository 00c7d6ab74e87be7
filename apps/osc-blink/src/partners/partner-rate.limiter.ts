import { status } from '@grpc/grpc-js';
import { BlinkCallError } from '../grpc/blink-call.error';

interface Bucket {
  tokens: number;
  refilledAt: number;
}

// Buckets untouched this long are full again and can be forgotten.
const IDLE_FORGET_MS = 60_000;
const SWEEP_EVERY_TAKES = 10_000;

/**
 * A token bucket per partner credential, in this process: `burst` calls at once, refilled at
 * `ratePerSecond`. Each instance of the bridge limits on its own, so N instances allow N times
 * the rate; the limit protects each instance and the shards behind it, which is what it is for.
 */
export class PartnerRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private takes = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  /** Takes one call from the credential's bucket, or refuses with RESOURCE_EXHAUSTED. */
  take(credentialId: string, ratePerSecond: number, burst: number): void {
    const now = this.clock();
    if (++this.takes % SWEEP_EVERY_TAKES === 0) this.forgetIdle(now);
    let bucket = this.buckets.get(credentialId);
    if (!bucket) {
      bucket = { tokens: burst, refilledAt: now };
      this.buckets.set(credentialId, bucket);
    }
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.refilledAt) / 1000) * ratePerSecond);
    bucket.refilledAt = now;
    if (bucket.tokens < 1) {
      const waitMs = Math.ceil(((1 - bucket.tokens) / ratePerSecond) * 1000);
      throw new BlinkCallError(
        status.RESOURCE_EXHAUSTED,
        'RATE_LIMITED',
        `partner ${credentialId} exceeds ${ratePerSecond} calls/s; retry in ${waitMs} ms`,
      );
    }
    bucket.tokens -= 1;
  }

  private forgetIdle(now: number): void {
    for (const [id, bucket] of this.buckets) {
      if (now - bucket.refilledAt > IDLE_FORGET_MS) this.buckets.delete(id);
    }
  }
}

/** Feed streams a credential holds open at once; the next one beyond the limit is refused. */
export class PartnerStreamLimiter {
  private readonly open = new Map<string, number>();

  constructor(private readonly maxPerPartner: number) {}

  /** Counts a new stream in; returns the function that counts it out (idempotent). */
  acquire(credentialId: string): () => void {
    const current = this.open.get(credentialId) ?? 0;
    if (current >= this.maxPerPartner) {
      throw new BlinkCallError(
        status.RESOURCE_EXHAUSTED,
        'TOO_MANY_STREAMS',
        `partner ${credentialId} already holds ${current} feed streams (at most ${this.maxPerPartner})`,
      );
    }
    this.open.set(credentialId, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(credentialId) ?? 1) - 1;
      if (left <= 0) this.open.delete(credentialId);
      else this.open.set(credentialId, left);
    };
  }
}
