import fc from 'fast-check';

/** Numbers a validator that means "an integer in a range" must refuse or bound: floats, extremes, -0. */
export function edgeNumber(): fc.Arbitrary<number> {
  return fc.oneof(
    fc.constantFrom(
      0,
      -0,
      -1,
      0.5,
      1.5,
      99.000001,
      100,
      2 ** 31,
      -(2 ** 31) - 1,
      2 ** 53,
      2 ** 53 + 2,
      2 ** 63,
      -(2 ** 63),
      1e308,
      -1e308,
      Number.MIN_VALUE,
      Number.EPSILON,
    ),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  );
}

/**
 * Text that trips storage rather than validation: NUL (Postgres text and jsonb refuse it), lone
 * surrogates, control and bidi characters, combining marks, emoji, and strings near or past limits.
 */
export function hostileText(): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }))
        .map(([before, after]) => `${before}\u0000${after}`),
    },
    fc.constantFrom(
      'a\u0000b',
      '\u0000',
      '\ud800',
      'x\udfffy',
      '\u202eevil\u202c',
      'e\u0301\u0301\u0301',
      '🍜🥟🍵',
      '\u001b[31mred',
      '\r\n\t',
      '\\u0000',
      "'; DROP TABLE orders; --",
      '${process.exit()}',
      '<script>alert(1)</script>',
      '%s%n%x',
      '\ufeffbom',
      '   ',
    ),
    fc.string({ maxLength: 40, unit: 'binary' }),
    fc.string({ maxLength: 40, unit: 'grapheme' }),
    fc.integer({ min: 190, max: 1200 }).map((length) => 'x'.repeat(length)),
    fc.integer({ min: 1, max: 400 }).map((length) => '中'.repeat(length)),
  );
}

/** Any JSON value of any shape, with hostile leaves. */
export function jsonGarbage(): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    edgeNumber(),
    hostileText(),
    fc.string({ maxLength: 12 }),
  );
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    fc.jsonValue({ maxDepth: 4 }),
    fc.array(leaf, { maxLength: 8 }),
    fc.dictionary(fc.string({ maxLength: 12 }), leaf, { maxKeys: 6 }),
    fc.array(fc.dictionary(fc.string({ maxLength: 8 }), leaf, { maxKeys: 3 }), { maxLength: 60 }),
  );
}

/**
 * Bodies that are not JSON, or JSON a lenient parser would misread: truncated, trailing junk,
 * single quotes, comments, BOM, NaN, prototype-pollution keys, deep nesting, duplicate keys.
 */
export function rawBodyGarbage(): fc.Arbitrary<string> {
  const depth = fc.integer({ min: 500, max: 20_000 });
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        '{',
        '}',
        '[',
        '{"a":1',
        '{"a":1}}',
        '{"a":1} trailing',
        "{'a':1}",
        '{a:1}',
        '{"a":1,}',
        '/* c */ {}',
        '\ufeff{}',
        'NaN',
        'undefined',
        'null',
        '""',
        '0',
        '[]',
        '{"__proto__":{"polluted":"yes"}}',
        '{"constructor":{"prototype":{"polluted":"yes"}}}',
        '{"a":{"__proto__":{"polluted":"yes"}}}',
        '[{"__proto__":{"polluted":"yes"}}]',
        '{"toString":"x","valueOf":1,"hasOwnProperty":null}',
        '{"reason":"a","reason":"b"}',
        '{"a":1e999}',
        '{"a":-1e999}',
        '{"a":"\\ud800"}',
        '{"a":"\\u0000"}',
        '{"a":01}',
        '{"a":0x10}',
        '\u0000',
      ),
    },
    fc.string({ maxLength: 200, unit: 'binary' }),
    depth.map((n) => '['.repeat(n) + ']'.repeat(n)),
    depth.map((n) => '{"a":'.repeat(n / 5) + '1' + '}'.repeat(n / 5)),
    jsonGarbage().map((value) => JSON.stringify(value) ?? 'undefined'),
  );
}

/** A key that an object must never copy onto its prototype. */
export const PROTOTYPE_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** Extra keys a strict DTO must refuse: unknown names and prototype names (as own keys, through JSON text). */
export function unknownFields(): fc.Arbitrary<Record<string, unknown>> {
  return fc.dictionary(
    fc.oneof(
      fc.constantFrom('admin', 'role', 'userId', 'status', 'totalCents', 'id', 'version'),
      fc.string(),
    ),
    jsonGarbage(),
    { minKeys: 1, maxKeys: 3 },
  );
}

/** Bodies that are not text at all: arbitrary bytes, invalid UTF-8 inside JSON, UTF-16 JSON. */
export function rawBytesGarbage(): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 200 }),
    fc.constantFrom(
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d]),
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
      Buffer.from('{"reason":"x"}', 'utf16le'),
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('{}', 'utf16le')]),
    ),
  );
}
