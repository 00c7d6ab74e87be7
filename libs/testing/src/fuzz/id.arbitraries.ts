import fc from 'fast-check';
import { LOGICAL_SHARDS, MAX_INT64, SHARD_GENE_SHIFT, encodeOrderId } from '@eos/sharding';

/** The one spelling of an id the contract accepts: a decimal positive int64, no sign, no leading zero. */
const WIRE_ID = /^[1-9][0-9]{0,18}$/;

export function isWireId(text: string): boolean {
  return WIRE_ID.test(text) && BigInt(text) <= MAX_INT64;
}

/** Spellings that look like ids to a lenient parser (Number(), parseInt, BigInt, Postgres casts) but are not. */
const LOOKALIKES: readonly string[] = [
  '',
  '0',
  '-0',
  '-1',
  '+1',
  '00',
  '01',
  '007',
  '1e3',
  '1E3',
  '1.0',
  '1.',
  '.5',
  ' 1',
  '1 ',
  '\t1',
  '0x1F',
  '0b1',
  '0o7',
  '1_000',
  '1,000',
  'NaN',
  'Infinity',
  '-Infinity',
  'null',
  'undefined',
  'true',
  '[1]',
  '{"id":1}',
  '9223372036854775808',
  '18446744073709551615',
  '18446744073709551616',
  '99999999999999999999',
  '-9223372036854775808',
  '１２３',
  '١٢٣',
  '1\u00002',
  "1' OR '1'='1",
  '1; DROP TABLE orders',
  '$1',
  '%00',
  '..',
  '__proto__',
  'constructor',
];

/** Any string that is not a decimal positive int64: lookalikes, out-of-range numbers, junk, very long. */
export function malformedId(): fc.Arbitrary<string> {
  return fc
    .oneof(
      { weight: 4, arbitrary: fc.constantFrom(...LOOKALIKES) },
      fc.bigInt({ min: MAX_INT64 + 1n, max: 1n << 80n }).map(String),
      fc.bigInt({ min: -(1n << 63n), max: 0n }).map(String),
      fc.bigInt({ min: 1n, max: MAX_INT64 }).map((id) => `0${id}`),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc.string({ minLength: 1, maxLength: 24, unit: 'grapheme' }),
      fc.string({ minLength: 1, maxLength: 24, unit: 'binary' }),
      fc.string({ minLength: 300, maxLength: 3000, unit: 'grapheme-ascii' }),
      fc.constant('1'.repeat(4000)),
    )
    .filter((text) => !isWireId(text));
}

/** A decimal int64 whose shard gene names no logical shard (120..127): refused as an order id. */
export function badGeneOrderId(): fc.Arbitrary<string> {
  return fc
    .record({
      high: fc.bigInt({ min: 1n, max: (1n << 41n) - 1n }),
      gene: fc.integer({ min: LOGICAL_SHARDS, max: 127 }),
      low: fc.bigInt({ min: 0n, max: (1n << BigInt(SHARD_GENE_SHIFT)) - 1n }),
    })
    .map(({ high, gene, low }) =>
      String((high << BigInt(SHARD_GENE_SHIFT + 7)) | (BigInt(gene) << BigInt(SHARD_GENE_SHIFT)) | low),
    );
}

const YEAR_2080_MS = Date.UTC(2080, 0, 1);
const YEAR_2090_MS = Date.UTC(2090, 0, 1);

/**
 * A well-formed order id of any shard that no order has or will have in this run: its timestamp
 * lies decades ahead, so no generator has issued it. Anything keyed by it must stay absent.
 */
export function absentOrderId(): fc.Arbitrary<string> {
  return fc
    .record({
      timestampMs: fc.integer({ min: YEAR_2080_MS, max: YEAR_2090_MS }),
      shard: fc.integer({ min: 0, max: LOGICAL_SHARDS - 1 }),
      worker: fc.integer({ min: 0, max: 63 }),
      sequence: fc.integer({ min: 0, max: 511 }),
    })
    .map((parts) => encodeOrderId(parts).toString());
}

/** A well-formed entity id (user, merchant, staff, item) far above anything the demo data or tests use. */
export function absentEntityId(): fc.Arbitrary<string> {
  return fc.bigInt({ min: 1n << 60n, max: MAX_INT64 }).map(String);
}

const UNRESERVED = /^[A-Za-z0-9._~-]$/;

/**
 * Any text as one URL path segment: its UTF-8 bytes percent-encoded (a lone surrogate becomes
 * U+FFFD, as a client would send it), so that junk stays in its segment.
 */
export function pathSegment(text: string): string {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded += UNRESERVED.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** A generated value as text, whatever it is (String() throws on objects without a prototype). */
export function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
}

/**
 * Path segments that are not valid percent-encoding or decode to something a router must not
 * follow: stray `%`, truncated or overlong UTF-8, encoded NUL, dots and slashes.
 */
export function brokenPathSegment(): fc.Arbitrary<string> {
  return fc.constantFrom(
    '%',
    '%%',
    '%zz',
    '%E0%A4%A',
    '%E0%A4',
    '%C0%AF',
    '%ED%A0%80',
    '%FF%FE',
    '%00',
    '1%00',
    '%2e%2e',
    '%2F',
    '..%2F..%2Fhealth',
    '%20',
    '+',
    '1;jsessionid=2',
  );
}
