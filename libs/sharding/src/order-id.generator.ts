import { DomainError, DomainErrorCode } from '@eos/domain';
import type { Clock } from './clock';
import { assertLogicalShard } from './logical-shard';
import { MAX_SEQUENCE, encodeOrderId } from './order-id.codec';

/** What the generator needs from a worker-number lease (RedisWorkerLease provides it). */
export interface WorkerLeaseView {
  readonly worker: number;
  isValid(): boolean;
  /** How far ahead of the clock the lease promised its successor we might issue (see maxBackwardMs). */
  readonly maxAheadMs?: number;
  /**
   * Told the millisecond of every id issued, so the lease can hand the exact high-water mark to
   * the next holder of its worker number on release.
   */
  recordIssued?(timestampMs: number): void;
}

export interface OrderIdGeneratorOptions {
  lease: WorkerLeaseView;
  clock: Clock;
  /**
   * How far the id clock may stay ahead of the real clock: it absorbs a clock stepped backwards
   * and milliseconds borrowed when a sequence overflows. Must not exceed the lease's maxAheadMs,
   * which is what the lease promises the next holder of the worker number.
   */
  maxBackwardMs?: number;
}

/**
 * Issues order ids for one worker number. Use exactly one generator per lease: two generators on
 * the same worker number would issue the same ids.
 *
 * Ordering: successive ids for the same shard are strictly increasing. Across different shards
 * within one millisecond they are not, because the shard gene sits above the worker and sequence
 * bits (an id for shard 100 issued before one for shard 5 in the same millisecond sorts after it).
 * Ids are always unique: the (millisecond, sequence) pair never repeats within a generator,
 * whatever the shard.
 */
export class OrderIdGenerator {
  private readonly lease: WorkerLeaseView;
  private readonly clock: Clock;
  private readonly maxBackwardMs: number;
  /** Logical clock of the last id issued; never goes back. */
  private lastMs = Number.NEGATIVE_INFINITY;
  private sequence = 0;
  /** Latest real clock reading, to tell a clock rollback from borrowed milliseconds. */
  private highestClockMs = Number.NEGATIVE_INFINITY;

  constructor(options: OrderIdGeneratorOptions) {
    this.lease = options.lease;
    this.clock = options.clock;
    this.maxBackwardMs = options.maxBackwardMs ?? 5_000;
    if (!Number.isSafeInteger(this.maxBackwardMs) || this.maxBackwardMs < 0) {
      throw new RangeError(`maxBackwardMs must be a non-negative integer, got ${this.maxBackwardMs}`);
    }
    const leaseAhead = this.lease.maxAheadMs;
    if (leaseAhead !== undefined && this.maxBackwardMs > leaseAhead) {
      // Issuing further ahead than the lease published could collide with the next holder.
      throw new RangeError(
        `maxBackwardMs ${this.maxBackwardMs} exceeds the lease's maxAheadMs ${leaseAhead}`,
      );
    }
  }

  next(userShard: number): string {
    assertLogicalShard(userShard);
    if (!this.lease.isValid()) {
      throw new DomainError(
        DomainErrorCode.IdsUnavailable,
        'order ids unavailable: worker lease is not valid',
      );
    }
    const now = this.clock.now();
    let ms: number;
    let sequence: number;
    if (now > this.lastMs) {
      ms = now;
      sequence = 0;
    } else {
      this.refuseIfTooFarAhead(this.lastMs, now);
      ms = this.lastMs;
      sequence = this.sequence + 1;
      if (sequence > MAX_SEQUENCE) {
        ms += 1;
        sequence = 0;
        this.refuseIfTooFarAhead(ms, now);
      }
    }
    const id = encodeOrderId({ timestampMs: ms, shard: userShard, worker: this.lease.worker, sequence });
    this.lastMs = ms;
    this.sequence = sequence;
    if (now > this.highestClockMs) this.highestClockMs = now;
    this.lease.recordIssued?.(ms);
    return id.toString();
  }

  private refuseIfTooFarAhead(ms: number, now: number): void {
    if (ms - now <= this.maxBackwardMs) return;
    if (now < this.highestClockMs) {
      throw new DomainError(
        DomainErrorCode.IdsUnavailable,
        `order ids unavailable: clock moved backwards by ${this.highestClockMs - now} ms`,
      );
    }
    throw new DomainError(
      DomainErrorCode.IdsUnavailable,
      `order ids unavailable: id clock would run ${ms - now} ms ahead of the real clock`,
    );
  }
}
