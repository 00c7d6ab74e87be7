import { DomainError, DomainErrorCode } from '@eos/domain';
import { LOGICAL_SHARDS } from './logical-shard';

/*
 * Order id layout, most significant bit first (63 bits used, sign bit always 0):
 *
 *   | 41 bits: ms since ORDER_ID_EPOCH_MS | 7 bits: user shard gene | 6 bits: worker | 9 bits: sequence |
 *
 * The gene holds the logical shard index itself (0..119). 120 is not a power of two, so the low
 * bits of the user id would not identify the shard.
 */

/** 2024-01-01T00:00:00Z. 41 bits of milliseconds from here last until 2093. */
export const ORDER_ID_EPOCH_MS = Date.UTC(2024, 0, 1);

export const TIMESTAMP_BITS = 41;
export const SHARD_GENE_BITS = 7;
export const WORKER_BITS = 6;
export const SEQUENCE_BITS = 9;

export const SEQUENCE_SHIFT = 0;
export const WORKER_SHIFT = SEQUENCE_BITS;
export const SHARD_GENE_SHIFT = WORKER_SHIFT + WORKER_BITS;
export const TIMESTAMP_SHIFT = SHARD_GENE_SHIFT + SHARD_GENE_BITS;

export const MAX_TIMESTAMP_OFFSET_MS = 2 ** TIMESTAMP_BITS - 1;
export const MIN_ORDER_ID_TIMESTAMP_MS = ORDER_ID_EPOCH_MS;
export const MAX_ORDER_ID_TIMESTAMP_MS = ORDER_ID_EPOCH_MS + MAX_TIMESTAMP_OFFSET_MS;
/** Number of worker numbers that can be leased at once. */
export const WORKER_COUNT = 2 ** WORKER_BITS;
export const MAX_WORKER = WORKER_COUNT - 1;
export const MAX_SEQUENCE = 2 ** SEQUENCE_BITS - 1;
export const MAX_INT64 = 2n ** 63n - 1n;

export interface OrderIdParts {
  /** Unix milliseconds (not relative to the epoch). */
  timestampMs: number;
  /** Logical user shard 0..119. */
  shard: number;
  worker: number;
  sequence: number;
}

const SHARD_GENE_MASK = BigInt(2 ** SHARD_GENE_BITS - 1);
const WORKER_MASK = BigInt(MAX_WORKER);
const SEQUENCE_MASK = BigInt(MAX_SEQUENCE);
// Longest decimal int64 is 19 digits; a leading zero or sign is refused so that every id has
// exactly one spelling (idempotency keys, cache keys and logs compare strings).
const POSITIVE_DECIMAL = /^[1-9][0-9]{0,18}$/;

function assertIntegerIn(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${String(value)}`);
  }
}

export function encodeOrderId(parts: OrderIdParts): bigint {
  assertIntegerIn('timestampMs', parts.timestampMs, MIN_ORDER_ID_TIMESTAMP_MS, MAX_ORDER_ID_TIMESTAMP_MS);
  assertIntegerIn('shard', parts.shard, 0, LOGICAL_SHARDS - 1);
  assertIntegerIn('worker', parts.worker, 0, MAX_WORKER);
  assertIntegerIn('sequence', parts.sequence, 0, MAX_SEQUENCE);
  const id =
    (BigInt(parts.timestampMs - ORDER_ID_EPOCH_MS) << BigInt(TIMESTAMP_SHIFT)) |
    (BigInt(parts.shard) << BigInt(SHARD_GENE_SHIFT)) |
    (BigInt(parts.worker) << BigInt(WORKER_SHIFT)) |
    BigInt(parts.sequence);
  if (id === 0n) {
    // Only the very first slot of the epoch encodes to 0, which is not a positive id.
    throw new RangeError('the all-zero order id is reserved');
  }
  return id;
}

/** Splits an id into its fields. Does not check the shard gene; use parseOrderId for input. */
export function decodeOrderId(id: bigint): OrderIdParts {
  if (id < 0n || id > MAX_INT64) {
    throw new RangeError(`order id must be in 0..${MAX_INT64}, got ${id}`);
  }
  return {
    timestampMs: Number(id >> BigInt(TIMESTAMP_SHIFT)) + ORDER_ID_EPOCH_MS,
    shard: Number((id >> BigInt(SHARD_GENE_SHIFT)) & SHARD_GENE_MASK),
    worker: Number((id >> BigInt(WORKER_SHIFT)) & WORKER_MASK),
    sequence: Number(id & SEQUENCE_MASK),
  };
}

function parsePositiveInt64(text: unknown): bigint | undefined {
  if (typeof text !== 'string' || !POSITIVE_DECIMAL.test(text)) return undefined;
  const value = BigInt(text);
  return value <= MAX_INT64 ? value : undefined;
}

function shardGeneOf(id: bigint): number {
  return Number((id >> BigInt(SHARD_GENE_SHIFT)) & SHARD_GENE_MASK);
}

function assertOrderId(id: bigint): void {
  if (id <= 0n || id > MAX_INT64 || shardGeneOf(id) >= LOGICAL_SHARDS) {
    throw new DomainError(DomainErrorCode.InvalidId, 'order id is not a valid order id');
  }
}

/**
 * Parses an order id from the wire: a decimal string of a positive int64 whose shard gene names a
 * logical shard. Anything else is INVALID_ID, so a forged id can never route to a missing shard.
 */
export function parseOrderId(text: unknown): bigint {
  const id = parsePositiveInt64(text);
  if (id === undefined) {
    throw new DomainError(
      DomainErrorCode.InvalidId,
      'order id must be a decimal string of a positive 64-bit integer',
    );
  }
  assertOrderId(id);
  return id;
}

/**
 * The smallest order id any generator can issue at or after `timestampMs` (times before the epoch
 * clamp to it). Ids are time-ordered, so `[orderIdFloor(from), orderIdFloor(to))` selects the
 * orders created in `[from, to)` by their primary key alone, in either dimension.
 */
export function orderIdFloor(timestampMs: number): bigint {
  const offset = Math.min(Math.max(Math.floor(timestampMs) - ORDER_ID_EPOCH_MS, 0), MAX_TIMESTAMP_OFFSET_MS);
  return BigInt(offset) << BigInt(TIMESTAMP_SHIFT);
}

/** The user shard an order lives on, read from its id without any lookup. */
export function shardOfOrderId(id: bigint | string): number {
  const value = typeof id === 'string' ? parseOrderId(id) : id;
  assertOrderId(value);
  return shardGeneOf(value);
}

/**
 * Parses a user, merchant or item id from the wire: a decimal string of a positive int64, at most
 * 19 digits, without sign, spaces or leading zeros.
 */
export function parseEntityId(text: unknown, what: string): bigint {
  const id = parsePositiveInt64(text);
  if (id === undefined) {
    throw new DomainError(
      DomainErrorCode.InvalidId,
      `${what} must be a decimal string of a positive 64-bit integer`,
      { field: what },
    );
  }
  return id;
}

/** Checks an id that is already a bigint (for example one read back from Postgres). */
export function assertEntityId(id: bigint, what: string): void {
  if (id <= 0n || id > MAX_INT64) {
    throw new DomainError(DomainErrorCode.InvalidId, `${what} must be a positive 64-bit integer`, {
      field: what,
    });
  }
}
