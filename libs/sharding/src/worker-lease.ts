import { randomInt, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { DomainError, DomainErrorCode } from '@eos/domain';
import { systemClock, type Clock } from './clock';
import { WORKER_COUNT } from './order-id.codec';
import type { WorkerLeaseView } from './order-id.generator';

export interface RedisWorkerLeaseOptions {
  redis: Redis;
  keyPrefix?: string;
  ttlMs?: number;
  renewEveryMs?: number;
  /**
   * Subtracted from the lease's expiry when deciding validity locally, so that this instance stops
   * issuing ids before Redis can hand the number to someone else (covers clock skew and latency).
   */
  safetyMarginMs?: number;
  /**
   * How far ahead of its real clock an id generator using this lease may issue (its
   * maxBackwardMs). The lease publishes "valid until + maxAheadMs" as the highest millisecond it
   * may issue, so a successor after a crash starts above it.
   */
  maxAheadMs?: number;
  /** Longest acquire() waits for the clock to pass the previous holder's last millisecond. */
  maxStartWaitMs?: number;
  /** How long the `:last` high-water key outlives its lease. */
  lastKeyTtlMs?: number;
  clock?: Clock;
  instanceId?: string;
  onLost?: (reason: string) => void;
  /** Renewal failures (Redis down, timeouts). The lease stays valid until validUntil meanwhile. */
  onRenewError?: (error: unknown) => void;
}

// Acquire and publish the floor atomically: once the lease key is ours nobody else can write
// `:last` for this number, and we learn the previous holder's high-water mark in the same step.
// Returns nil if taken, else the previous high-water mark ('' when none or unreadable).
const ACQUIRE_SCRIPT = `
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  return false
end
local raw = redis.call('GET', KEYS[2])
local previous = tonumber(raw)
if (not previous) or previous < tonumber(ARGV[3]) then
  redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
end
if previous then return raw end
return ''
`;

// Extends the lease while we still own it, and raises the published high-water mark. A key that is
// gone (expired, or Redis restarted without its data) is taken back only if nobody has held the
// number since: every later holder publishes a mark above ours (ARGV[5]), so a mark no higher
// than ours, or none at all, means nobody did; then the lease survives a Redis restart.
const RENEW_SCRIPT = `
local owner = redis.call('GET', KEYS[1])
if owner ~= ARGV[1] then
  if owner then return 0 end
  local last = tonumber(redis.call('GET', KEYS[2]))
  if last and last > tonumber(ARGV[5]) then return 0 end
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
local previous = tonumber(redis.call('GET', KEYS[2]))
if (not previous) or previous < tonumber(ARGV[3]) then
  redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
end
return 1
`;

// Deletes the lease only if still ours. On a clean release the exact high-water mark replaces the
// conservative bound published at renewal, so a successor need not wait for that bound.
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
if ARGV[2] ~= '' then
  redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
end
redis.call('DEL', KEYS[1])
return 1
`;

interface HeldLease {
  worker: number;
  /** Distinguishes this holding from later ones, so late renewal replies are ignored. */
  generation: number;
  validUntil: number;
  /** The previous holder's last millisecond: ids must be strictly later. */
  floorMs: number;
  highestIssuedMs: number | undefined;
  lost: boolean;
  /** The highest mark in `:last` this holder saw or published: a higher one means another holder. */
  publishedMs: number;
  timer: NodeJS.Timeout | undefined;
  renewing: boolean;
}

/**
 * Leases one of the 64 worker numbers of the order-id layout from Redis, with expiry and renewal.
 *
 * Validity is decided locally from the clock, not by asking Redis: while Redis is unreachable the
 * lease stays valid until it would have expired (minus a safety margin) and then stops, so ids
 * keep flowing through a short Redis outage but never outlive the lease. A renewal that finds the
 * key gone or owned by another instance marks the lease lost for good.
 */
export class RedisWorkerLease implements WorkerLeaseView {
  readonly instanceId: string;
  readonly ttlMs: number;
  readonly renewEveryMs: number;
  readonly safetyMarginMs: number;
  readonly maxAheadMs: number;
  private readonly redis: Redis;
  private readonly keyPrefix: string;
  private readonly maxStartWaitMs: number;
  private readonly lastKeyTtlMs: number;
  private readonly clock: Clock;
  private readonly onLost: ((reason: string) => void) | undefined;
  private readonly onRenewError: ((error: unknown) => void) | undefined;
  private held: HeldLease | undefined;
  private generation = 0;
  private acquiring: Promise<number> | undefined;

  constructor(options: RedisWorkerLeaseOptions) {
    this.redis = options.redis;
    this.keyPrefix = options.keyPrefix ?? 'eos:idgen:worker:';
    this.ttlMs = options.ttlMs ?? 30_000;
    this.renewEveryMs = options.renewEveryMs ?? Math.floor(this.ttlMs / 3);
    this.safetyMarginMs = options.safetyMarginMs ?? Math.min(2_000, Math.floor(this.ttlMs / 3));
    this.maxAheadMs = options.maxAheadMs ?? 5_000;
    this.maxStartWaitMs = options.maxStartWaitMs ?? 10_000;
    this.lastKeyTtlMs = options.lastKeyTtlMs ?? 24 * 60 * 60 * 1000;
    this.clock = options.clock ?? systemClock;
    this.instanceId = options.instanceId ?? randomUUID();
    this.onLost = options.onLost;
    this.onRenewError = options.onRenewError;
    for (const [name, value] of [
      ['ttlMs', this.ttlMs],
      ['renewEveryMs', this.renewEveryMs],
      ['safetyMarginMs', this.safetyMarginMs],
      ['maxAheadMs', this.maxAheadMs],
      ['maxStartWaitMs', this.maxStartWaitMs],
      ['lastKeyTtlMs', this.lastKeyTtlMs],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
      }
    }
    if (this.renewEveryMs <= 0 || this.renewEveryMs >= this.ttlMs - this.safetyMarginMs) {
      throw new RangeError('renewEveryMs must be positive and shorter than ttlMs - safetyMarginMs');
    }
    if (this.lastKeyTtlMs < this.ttlMs + this.maxAheadMs) {
      throw new RangeError('lastKeyTtlMs must be at least ttlMs + maxAheadMs');
    }
  }

  /** The leased worker number. Throws unless acquired (a lost lease still reports its number). */
  get worker(): number {
    if (this.held === undefined) throw new Error('worker lease not acquired');
    return this.held.worker;
  }

  /** Local time until which ids may be issued, or undefined when not held. */
  get validUntil(): number | undefined {
    return this.held?.validUntil;
  }

  get isLost(): boolean {
    return this.held?.lost ?? false;
  }

  isValid(): boolean {
    const held = this.held;
    if (held === undefined || held.lost) return false;
    const now = this.clock.now();
    return now < held.validUntil && now > held.floorMs;
  }

  recordIssued(timestampMs: number): void {
    const held = this.held;
    if (held !== undefined && (held.highestIssuedMs === undefined || timestampMs > held.highestIssuedMs)) {
      held.highestIssuedMs = timestampMs;
    }
  }

  /**
   * Leases a free worker number. Returns the current one if still held and not lost; after a loss
   * it leases afresh (possibly another number). Throws IDS_UNAVAILABLE when all 64 are taken.
   */
  acquire(): Promise<number> {
    if (this.held !== undefined && !this.held.lost) return Promise.resolve(this.held.worker);
    this.acquiring ??= this.acquireFree().finally(() => {
      this.acquiring = undefined;
    });
    return this.acquiring;
  }

  /** Stops renewal and frees the number if still ours. Safe to call more than once. */
  async release(): Promise<void> {
    const held = this.held;
    if (held === undefined) return;
    // Cleared before the first await so that no id is issued once release has begun; the exact
    // high-water mark sent below then covers every id this holder issued.
    this.held = undefined;
    this.stopTimer(held);
    if (held.lost) return;
    // The exact high-water mark: the last millisecond this holder issued, or, if it issued none,
    // the floor it inherited. Leaving the conservative mark published at renewal (up to ttl +
    // maxAhead ahead) would make the next holder of this number wait for nothing.
    const floor = Number.isFinite(held.floorMs) ? held.floorMs : 0;
    const last = String(held.highestIssuedMs === undefined ? floor : Math.max(held.highestIssuedMs, floor));
    await this.redis.eval(
      RELEASE_SCRIPT,
      2,
      this.leaseKey(held.worker),
      this.lastKey(held.worker),
      this.instanceId,
      last,
      this.lastKeyTtlMs,
    );
  }

  private async acquireFree(): Promise<number> {
    if (this.held !== undefined) this.stopTimer(this.held);
    this.held = undefined;
    // A random start spreads instances over the numbers, so simultaneous starts rarely collide.
    const offset = randomInt(WORKER_COUNT);
    for (let i = 0; i < WORKER_COUNT; i += 1) {
      const worker = (offset + i) % WORKER_COUNT;
      const startedAt = this.clock.now();
      const validUntil = startedAt + this.ttlMs - this.safetyMarginMs;
      const previous = await this.redis.eval(
        ACQUIRE_SCRIPT,
        2,
        this.leaseKey(worker),
        this.lastKey(worker),
        this.instanceId,
        this.ttlMs,
        validUntil + this.maxAheadMs,
        this.lastKeyTtlMs,
      );
      if (typeof previous !== 'string') continue;
      const floorMs = previous === '' ? Number.NEGATIVE_INFINITY : Number(previous);
      this.generation += 1;
      const held: HeldLease = {
        worker,
        generation: this.generation,
        validUntil,
        floorMs: Number.isFinite(floorMs) ? floorMs : Number.NEGATIVE_INFINITY,
        highestIssuedMs: undefined,
        lost: false,
        publishedMs: Math.max(validUntil + this.maxAheadMs, Number.isFinite(floorMs) ? floorMs : 0),
        timer: undefined,
        renewing: false,
      };
      this.held = held;
      this.scheduleRenewal(held);
      await this.waitForFloor(held);
      return worker;
    }
    throw new DomainError(
      DomainErrorCode.IdsUnavailable,
      `order ids unavailable: all ${WORKER_COUNT} worker numbers are leased`,
    );
  }

  /**
   * A new holder must not reuse a millisecond of the previous one. Usually the floor is already in
   * the past; after a crash it can be a few seconds ahead. Past maxStartWaitMs isValid() keeps
   * refusing until the clock passes the floor.
   */
  private async waitForFloor(held: HeldLease): Promise<void> {
    let waited = 0;
    while (this.held === held && this.clock.now() <= held.floorMs && waited < this.maxStartWaitMs) {
      const step = Math.min(held.floorMs - this.clock.now() + 1, 50, this.maxStartWaitMs - waited);
      await new Promise<void>((resolve) => setTimeout(resolve, step));
      waited += step;
    }
  }

  private scheduleRenewal(held: HeldLease): void {
    const timer = setInterval(() => {
      // renew() reports its own failures and never rejects.
      void this.renew(held);
    }, this.renewEveryMs);
    timer.unref();
    held.timer = timer;
  }

  private async renew(held: HeldLease): Promise<void> {
    if (held.renewing || this.held !== held || held.lost) return;
    held.renewing = true;
    const startedAt = this.clock.now();
    const validUntil = startedAt + this.ttlMs - this.safetyMarginMs;
    try {
      const owned = await this.redis.eval(
        RENEW_SCRIPT,
        2,
        this.leaseKey(held.worker),
        this.lastKey(held.worker),
        this.instanceId,
        this.ttlMs,
        validUntil + this.maxAheadMs,
        this.lastKeyTtlMs,
        held.publishedMs,
      );
      if (this.held !== held || held.generation !== this.generation) return;
      if (owned === 1) {
        if (validUntil > held.validUntil) held.validUntil = validUntil;
        held.publishedMs = Math.max(held.publishedMs, validUntil + this.maxAheadMs);
      } else {
        this.markLost(held, `worker ${held.worker} lease key expired or was taken by another instance`);
      }
    } catch (error: unknown) {
      this.reportRenewError(error);
    } finally {
      held.renewing = false;
    }
  }

  private markLost(held: HeldLease, reason: string): void {
    held.lost = true;
    this.stopTimer(held);
    try {
      this.onLost?.(reason);
    } catch {
      // A failing listener must not break the renewal loop.
    }
  }

  private reportRenewError(error: unknown): void {
    try {
      this.onRenewError?.(error);
    } catch {
      // Same as above: reporting is best effort.
    }
  }

  private stopTimer(held: HeldLease): void {
    if (held.timer !== undefined) clearInterval(held.timer);
    held.timer = undefined;
  }

  private leaseKey(worker: number): string {
    return `${this.keyPrefix}${worker}`;
  }

  private lastKey(worker: number): string {
    return `${this.keyPrefix}${worker}:last`;
  }
}
