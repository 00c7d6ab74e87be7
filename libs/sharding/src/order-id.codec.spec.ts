import fc from 'fast-check';
import { DomainError, DomainErrorCode } from '@eos/domain';
import {
  MAX_INT64,
  MAX_ORDER_ID_TIMESTAMP_MS,
  MAX_SEQUENCE,
  MAX_WORKER,
  ORDER_ID_EPOCH_MS,
  SHARD_GENE_SHIFT,
  TIMESTAMP_SHIFT,
  WORKER_SHIFT,
  decodeOrderId,
  encodeOrderId,
  parseEntityId,
  parseOrderId,
  shardOfOrderId,
} from './order-id.codec';

const parts = fc.record({
  timestampMs: fc.integer({ min: ORDER_ID_EPOCH_MS + 1, max: MAX_ORDER_ID_TIMESTAMP_MS }),
  shard: fc.integer({ min: 0, max: 119 }),
  worker: fc.integer({ min: 0, max: MAX_WORKER }),
  sequence: fc.integer({ min: 0, max: MAX_SEQUENCE }),
});

function invalidIdCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error: unknown) {
    return error instanceof DomainError ? error.code : `not a DomainError: ${String(error)}`;
  }
  return undefined;
}

describe('order id codec', () => {
  it('uses the 41|7|6|9 layout from 2024-01-01T00:00:00Z', () => {
    expect(ORDER_ID_EPOCH_MS).toBe(Date.parse('2024-01-01T00:00:00Z'));
    expect([TIMESTAMP_SHIFT, SHARD_GENE_SHIFT, WORKER_SHIFT]).toEqual([22, 15, 9]);
    const id = encodeOrderId({ timestampMs: ORDER_ID_EPOCH_MS + 1, shard: 119, worker: 63, sequence: 511 });
    expect(id).toBe((1n << 22n) | (119n << 15n) | (63n << 9n) | 511n);
  });

  it('round-trips every valid combination of fields', () => {
    fc.assert(
      fc.property(parts, (p) => {
        const id = encodeOrderId(p);
        expect(id > 0n && id <= MAX_INT64).toBe(true);
        expect(decodeOrderId(id)).toEqual(p);
        expect(parseOrderId(id.toString())).toBe(id);
        expect(shardOfOrderId(id)).toBe(p.shard);
        expect(shardOfOrderId(id.toString())).toBe(p.shard);
      }),
      { numRuns: 2_000 },
    );
  });

  it('orders ids by timestamp first', () => {
    fc.assert(
      fc.property(parts, parts, (a, b) => {
        fc.pre(a.timestampMs !== b.timestampMs);
        expect(encodeOrderId(a) < encodeOrderId(b)).toBe(a.timestampMs < b.timestampMs);
      }),
    );
  });

  it('encodes the largest fields into the largest positive int64', () => {
    const id = encodeOrderId({
      timestampMs: MAX_ORDER_ID_TIMESTAMP_MS,
      shard: 119,
      worker: 63,
      sequence: 511,
    });
    expect(id <= MAX_INT64).toBe(true);
    expect(decodeOrderId(id).timestampMs).toBe(MAX_ORDER_ID_TIMESTAMP_MS);
  });

  it.each([
    { timestampMs: ORDER_ID_EPOCH_MS - 1, shard: 0, worker: 0, sequence: 0 },
    { timestampMs: MAX_ORDER_ID_TIMESTAMP_MS + 1, shard: 0, worker: 0, sequence: 0 },
    { timestampMs: ORDER_ID_EPOCH_MS + 1.5, shard: 0, worker: 0, sequence: 0 },
    { timestampMs: ORDER_ID_EPOCH_MS + 1, shard: 120, worker: 0, sequence: 0 },
    { timestampMs: ORDER_ID_EPOCH_MS + 1, shard: -1, worker: 0, sequence: 0 },
    { timestampMs: ORDER_ID_EPOCH_MS + 1, shard: 0, worker: 64, sequence: 0 },
    { timestampMs: ORDER_ID_EPOCH_MS + 1, shard: 0, worker: 0, sequence: 512 },
    { timestampMs: ORDER_ID_EPOCH_MS + 1, shard: 0, worker: 0, sequence: Number.NaN },
    { timestampMs: ORDER_ID_EPOCH_MS, shard: 0, worker: 0, sequence: 0 },
  ])('refuses to encode out-of-range fields %o', (p) => {
    expect(() => encodeOrderId(p)).toThrow(RangeError);
  });

  it('refuses to decode ids outside int64', () => {
    expect(() => decodeOrderId(-1n)).toThrow(RangeError);
    expect(() => decodeOrderId(MAX_INT64 + 1n)).toThrow(RangeError);
  });

  const geneOf120 = ((1n << 22n) | (120n << 15n)).toString();
  const geneOf127 = ((1n << 22n) | (127n << 15n)).toString();

  it.each<[string, unknown]>([
    ['empty', ''],
    ['zero', '0'],
    ['negative', '-1'],
    ['leading zero', '01'],
    ['leading plus', '+1'],
    ['exponent', '1e3'],
    ['leading space', ' 1'],
    ['trailing space', '1 '],
    ['hex', '0x10'],
    ['decimal point', '1.0'],
    ['2^63', (2n ** 63n).toString()],
    ['20 digits', '10000000000000000000'],
    ['number', 123],
    ['bigint', 123n],
    ['null', null],
    ['undefined', undefined],
    ['object', { id: '1' }],
    ['shard gene 120', geneOf120],
    ['shard gene 127', geneOf127],
  ])('parseOrderId refuses %s', (_name, text) => {
    expect(invalidIdCode(() => parseOrderId(text))).toBe(DomainErrorCode.InvalidId);
  });

  it('parseOrderId accepts the largest int64 whose shard gene is valid', () => {
    const largest = (MAX_INT64 & ~(127n << 15n)) | (119n << 15n);
    expect(parseOrderId(largest.toString())).toBe(largest);
    expect(parseOrderId('1')).toBe(1n);
  });

  it('shardOfOrderId refuses ids that parseOrderId refuses', () => {
    expect(invalidIdCode(() => shardOfOrderId(geneOf120))).toBe(DomainErrorCode.InvalidId);
    expect(invalidIdCode(() => shardOfOrderId(BigInt(geneOf120)))).toBe(DomainErrorCode.InvalidId);
    expect(invalidIdCode(() => shardOfOrderId(0n))).toBe(DomainErrorCode.InvalidId);
    expect(invalidIdCode(() => shardOfOrderId(-5n))).toBe(DomainErrorCode.InvalidId);
  });

  describe('parseEntityId', () => {
    it('accepts every positive int64 in canonical decimal', () => {
      fc.assert(
        fc.property(fc.bigInt({ min: 1n, max: MAX_INT64 }), (id) => {
          expect(parseEntityId(id.toString(), 'user id')).toBe(id);
        }),
        { numRuns: 2_000 },
      );
      expect(parseEntityId(MAX_INT64.toString(), 'user id')).toBe(MAX_INT64);
    });

    it.each<unknown>([
      '',
      '0',
      '-1',
      '01',
      '+1',
      '1e3',
      ' 1',
      '1\n',
      '9223372036854775808',
      '00000000000000000001',
      1,
      1n,
      null,
    ])('refuses %p with INVALID_ID naming the field', (text) => {
      let caught: unknown;
      try {
        parseEntityId(text, 'merchant id');
      } catch (error: unknown) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(DomainError);
      expect((caught as DomainError).code).toBe(DomainErrorCode.InvalidId);
      expect((caught as DomainError).message).toContain('merchant id');
    });
  });
});
