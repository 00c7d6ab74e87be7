import fc from 'fast-check';

/*
 * Protocol Buffers wire format, written by hand so that a test can send what no generated
 * serializer would: wrong wire types for known fields, group and reserved wire types, varints
 * longer than ten bytes, lengths past the end, invalid UTF-8 in string fields, truncated messages.
 */

function varint(value: bigint): number[] {
  let rest = BigInt.asUintN(64, value);
  const bytes: number[] = [];
  do {
    let byte = Number(rest & 0x7fn);
    rest >>= 7n;
    if (rest > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0n);
  return bytes;
}

function tag(field: number, wireType: number): number[] {
  return varint((BigInt(field) << 3n) | BigInt(wireType));
}

/** One field as bytes: a tag and a payload of the tag's wire type, or of some other type. */
function wireField(fieldNumbers: fc.Arbitrary<number>): fc.Arbitrary<number[]> {
  const bytes = fc.uint8Array({ maxLength: 64 }).map((array) => [...array]);
  return fc.oneof(
    // varint: any 64-bit value, negative int32s take ten bytes
    fc
      .record({ field: fieldNumbers, value: fc.bigInt({ min: -(1n << 63n), max: (1n << 64n) - 1n }) })
      .map(({ field, value }) => [...tag(field, 0), ...varint(value)]),
    // a varint that never ends within ten bytes
    fieldNumbers.map((field) => [...tag(field, 0), ...Array<number>(11).fill(0xff), 0x01]),
    // fixed64 and fixed32
    fc
      .record({ field: fieldNumbers, payload: fc.uint8Array({ minLength: 8, maxLength: 8 }) })
      .map(({ field, payload }) => [...tag(field, 1), ...payload]),
    fc
      .record({ field: fieldNumbers, payload: fc.uint8Array({ minLength: 4, maxLength: 4 }) })
      .map(({ field, payload }) => [...tag(field, 5), ...payload]),
    // length-delimited, with bytes that are rarely UTF-8
    fc
      .record({ field: fieldNumbers, payload: bytes })
      .map(({ field, payload }) => [...tag(field, 2), ...varint(BigInt(payload.length)), ...payload]),
    // a length past the end of the message
    fc
      .record({ field: fieldNumbers, claimed: fc.integer({ min: 1, max: 2 ** 31 }), payload: bytes })
      .map(({ field, claimed, payload }) => [
        ...tag(field, 2),
        ...varint(BigInt(payload.length + claimed)),
        ...payload,
      ]),
    // groups (deprecated) and the reserved wire types 6 and 7
    fc
      .record({ field: fieldNumbers, wireType: fc.constantFrom(3, 4, 6, 7), payload: bytes })
      .map(({ field, wireType, payload }) => [...tag(field, wireType), ...payload]),
    // field number 0 is illegal
    bytes.map((payload) => [0x00, ...payload]),
  );
}

/**
 * Bytes for a request message whose fields are numbered 1..`fields`: random bytes, sequences of
 * known and unknown fields with right or wrong wire types, and cuts of those.
 */
export function protobufGarbage(fields: number): fc.Arbitrary<Buffer> {
  const known = fc.integer({ min: 1, max: Math.max(1, fields) });
  const anyField = fc.oneof(known, fc.integer({ min: 1, max: 2 ** 29 - 1 }));
  const sequence = fc.array(wireField(fc.oneof({ weight: 3, arbitrary: known }, anyField)), {
    minLength: 1,
    maxLength: 6,
  });
  return fc
    .oneof(
      fc.uint8Array({ minLength: 1, maxLength: 256 }).map((array) => [...array]),
      sequence.map((parts) => parts.flat()),
      fc
        .tuple(sequence, fc.nat())
        .map(([parts, cut]) => {
          const flat = parts.flat();
          return flat.slice(0, cut % Math.max(1, flat.length));
        })
        .filter((flat) => flat.length > 0),
    )
    .map((flat) => Buffer.from(flat));
}
