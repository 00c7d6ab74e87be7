import fc from 'fast-check';

/** The contract's Idempotency-Key: 8 to 64 of `A-Z a-z 0-9 _ . : -`. */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,64}$/;

/**
 * A header value carrying the UTF-8 bytes of `text`: fetch takes header values as Latin-1 strings,
 * so non-ASCII text is sent byte for byte, as a client that does not encode it would.
 */
export function headerBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

function sendable(value: string): boolean {
  // fetch refuses CR, LF and NUL in a header and trims the ends, so those never leave the client.
  return !/[\r\n\0]/.test(value) && value === value.trim();
}

/** Idempotency-Key values checkout must refuse: absent, too short, too long, other characters, non-ASCII. */
export function refusedIdempotencyKey(): fc.Arbitrary<string | undefined> {
  const keyChar = fc.constantFrom(...'abcXYZ019_.:-'.split(''));
  return fc
    .oneof(
      fc.constant(undefined),
      fc.constantFrom(
        '',
        'short',
        '1234567',
        'key with spaces',
        'key/with/slash',
        'ключ-ключ-ключ',
        '🔑🔑🔑🔑🔑🔑🔑🔑',
      ),
      fc.string({ unit: keyChar, minLength: 1, maxLength: 7 }),
      fc.string({ unit: keyChar, minLength: 65, maxLength: 300 }),
      fc.string({ unit: 'grapheme-ascii', minLength: 8, maxLength: 64 }),
      fc.string({ unit: 'grapheme', minLength: 8, maxLength: 40 }),
    )
    .map((key) => (key === undefined ? key : headerBytes(key)))
    .filter((key) => key === undefined || (sendable(key) && !IDEMPOTENCY_KEY.test(key)));
}

/** Content-Type values that lie about a JSON body, or name a type the apps do not take. */
export function lyingContentType(): fc.Arbitrary<string> {
  return fc.constantFrom(
    'text/plain',
    'text/html',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=xyz',
    'application/xml',
    'application/octet-stream',
    'application/json; charset=utf-16',
    'application/json; charset=latin1',
    'application/jsonp',
    'application/json-patch+json',
    'APPLICATION/JSON',
    'application/json;;;',
    'application/*',
    '*/*',
    'json',
    ';',
    'x',
  );
}

/** No Content-Type override (the client's own) most of the time, a lying one one time in `oneIn`. */
export function sometimesLyingContentType(oneIn = 4): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: oneIn - 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: lyingContentType() },
  );
}
