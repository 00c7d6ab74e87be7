import { DomainError, DomainErrorCode } from '@eos/domain';
import type { Clock } from './clock';
import { MAX_SEQUENCE, decodeOrderId } from './order-id.codec';
import { OrderIdGenerator, type WorkerLeaseView } from './order-id.generator';

const T0 = Date.parse('2025-06-01T12:00:00Z');

class FakeClock implements Clock {
  constructor(public ms: number) {}
  now(): number {
    return this.ms;
  }
}

class FakeLease implements WorkerLeaseView {
  valid = true;
  issued: number[] = [];
  constructor(readonly worker: number) {}
  isValid(): boolean {
    return this.valid;
  }
  recordIssued(timestampMs: number): void {
    this.issued.push(timestampMs);
  }
}

function setup(maxBackwardMs?: number) {
  const clock = new FakeClock(T0);
  const lease = new FakeLease(17);
  const generator = new OrderIdGenerator({ lease, clock, maxBackwardMs });
  return { clock, lease, generator };
}

function errorOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (error: unknown) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

function expectStrictlyIncreasing(ids: readonly string[]): void {
  for (let i = 1; i < ids.length; i += 1) {
    expect(BigInt(ids[i]) > BigInt(ids[i - 1])).toBe(true);
  }
}

describe('OrderIdGenerator', () => {
  it('embeds shard, worker, clock and a per-millisecond sequence', () => {
    const { generator, lease } = setup();
    expect(decodeOrderId(BigInt(generator.next(7)))).toEqual({
      timestampMs: T0,
      shard: 7,
      worker: 17,
      sequence: 0,
    });
    expect(decodeOrderId(BigInt(generator.next(8)))).toEqual({
      timestampMs: T0,
      shard: 8,
      worker: 17,
      sequence: 1,
    });
    expect(lease.issued).toEqual([T0, T0]);
  });

  it('issues strictly increasing ids for one shard as the clock advances, stalls and jumps', () => {
    const { generator, clock } = setup();
    const ids: string[] = [];
    for (let i = 0; i < 5_000; i += 1) {
      if (i % 7 === 0) clock.ms += 1;
      if (i % 997 === 0) clock.ms += 250;
      ids.push(generator.next(42));
    }
    expectStrictlyIncreasing(ids);
  });

  it('never repeats an id across shards, and the (ms, sequence) part always increases', () => {
    const { generator, clock } = setup();
    const seen = new Set<string>();
    let previous = -1;
    for (let i = 0; i < 3_000; i += 1) {
      if (i % 5 === 0) clock.ms += 1;
      const id = generator.next(i % 120);
      expect(seen.has(id)).toBe(false);
      seen.add(id);
      const { timestampMs, sequence } = decodeOrderId(BigInt(id));
      const order = timestampMs * (MAX_SEQUENCE + 1) + sequence;
      expect(order).toBeGreaterThan(previous);
      previous = order;
    }
  });

  it('borrows the next millisecond when 512 ids are taken in one millisecond', () => {
    const { generator } = setup();
    const ids = Array.from({ length: MAX_SEQUENCE + 3 }, () => generator.next(3));
    expectStrictlyIncreasing(ids);
    expect(decodeOrderId(BigInt(ids[MAX_SEQUENCE]))).toMatchObject({
      timestampMs: T0,
      sequence: MAX_SEQUENCE,
    });
    expect(decodeOrderId(BigInt(ids[MAX_SEQUENCE + 1]))).toMatchObject({ timestampMs: T0 + 1, sequence: 0 });
    expect(decodeOrderId(BigInt(ids[MAX_SEQUENCE + 2]))).toMatchObject({ timestampMs: T0 + 1, sequence: 1 });
  });

  it('when the real clock catches up with borrowed milliseconds, continues after them', () => {
    const { generator, clock } = setup();
    const ids = Array.from({ length: 3 * (MAX_SEQUENCE + 1) }, () => generator.next(3));
    clock.ms += 1;
    ids.push(generator.next(3));
    clock.ms += 5;
    ids.push(generator.next(3));
    expectStrictlyIncreasing(ids);
    expect(decodeOrderId(BigInt(ids[ids.length - 1]))).toMatchObject({ timestampMs: T0 + 6, sequence: 0 });
  });

  it('refuses to borrow further ahead of the real clock than maxBackwardMs', () => {
    const { generator } = setup(2);
    for (let i = 0; i < 3 * (MAX_SEQUENCE + 1); i += 1) generator.next(0);
    const error = errorOf(() => generator.next(0));
    expect(error.code).toBe(DomainErrorCode.IdsUnavailable);
    expect(error.message).toMatch(/ahead of the real clock/);
  });

  it('keeps issuing increasing ids through a clock rollback within maxBackwardMs', () => {
    const { generator, clock } = setup(5_000);
    const ids = [generator.next(9), generator.next(9)];
    clock.ms -= 4_000;
    for (let i = 0; i < 2_000; i += 1) {
      if (i % 3 === 0) clock.ms += 1;
      ids.push(generator.next(9));
    }
    clock.ms = T0 + 10;
    ids.push(generator.next(9));
    expectStrictlyIncreasing(ids);
    expect(decodeOrderId(BigInt(ids[ids.length - 1])).timestampMs).toBe(T0 + 10);
  });

  it('refuses ids when the clock moves back further than maxBackwardMs, and resumes once it recovers', () => {
    const { generator, clock } = setup(5_000);
    const before = generator.next(1);
    clock.ms -= 5_001;
    const error = errorOf(() => generator.next(1));
    expect(error.code).toBe(DomainErrorCode.IdsUnavailable);
    expect(error.message).toBe('order ids unavailable: clock moved backwards by 5001 ms');
    clock.ms = T0;
    const after = generator.next(1);
    expect(BigInt(after) > BigInt(before)).toBe(true);
  });

  it('refuses ids while the lease is not valid, without consuming a sequence number', () => {
    const { generator, lease } = setup();
    lease.valid = false;
    expect(errorOf(() => generator.next(0)).code).toBe(DomainErrorCode.IdsUnavailable);
    lease.valid = true;
    expect(decodeOrderId(BigInt(generator.next(0))).sequence).toBe(0);
  });

  it('refuses to run further ahead of the clock than its lease promised the next holder', () => {
    const lease = Object.assign(new FakeLease(1), { maxAheadMs: 1_000 });
    expect(() => new OrderIdGenerator({ lease, clock: new FakeClock(T0), maxBackwardMs: 1_001 })).toThrow(
      /exceeds the lease's maxAheadMs/,
    );
    expect(
      () => new OrderIdGenerator({ lease, clock: new FakeClock(T0), maxBackwardMs: 1_000 }),
    ).not.toThrow();
  });

  it.each([-1, 120, 1.5, Number.NaN])('refuses shard %p', (shard) => {
    const { generator } = setup();
    expect(() => generator.next(shard)).toThrow(RangeError);
  });
});
