import { REDACTED, sanitizeForLog, scrubCardNumbers } from './log-sanitizer';

describe('log sanitizer', () => {
  it.each([
    ['4111111111111111', '****1111'],
    ['4111 1111 1111 1111', '****1111'],
    ['4111-1111-1111-1111', '****1111'],
    ['pay 5500005555555559 now', 'pay ****5559 now'],
    ['x6011000990139424y', 'x****9424y'],
    // 19 digits (UnionPay) and 13 (old Visa), both Luhn-valid.
    ['6212345678901234569', '****4569'],
    ['4222222222222', '****2222'],
  ])('masks the card-like number in %j', (text, masked) => {
    expect(scrubCardNumbers(text)).toBe(masked);
  });

  it.each([
    // An order id (18 digits, not Luhn-valid), a phone number, a time, a longer run, a short run.
    'order 387364246890243072 not found',
    'call 13800000000',
    '2026-12-04T22:07:13.371Z',
    '12345678901234567890123',
    'amount 123456',
  ])('leaves %j as it is', (text) => {
    expect(scrubCardNumbers(text)).toBe(text);
  });

  it('redacts credentials by field name at any depth and masks numbers in every other field', () => {
    expect(
      sanitizeForLog({
        headers: {
          authorization: 'Bearer abc.def.ghi',
          'eos-signature': 't=1,v1=ff',
          'provider-signature': 'sig',
          'x-eos-partner-secret': 'psst',
          cookie: 'session=1',
          'x-request-id': 'abc-123-def',
        },
        body: { card: { number: 4111111111111111, holder: 'A B' }, password: 'hunter2', apiKey: 'k' },
        nested: [{ refreshToken: 'r' }, { clientSecret: 's' }],
        orderId: '4111111111111111',
      }),
    ).toEqual({
      headers: {
        authorization: REDACTED,
        'eos-signature': REDACTED,
        'provider-signature': REDACTED,
        'x-eos-partner-secret': REDACTED,
        cookie: REDACTED,
        'x-request-id': 'abc-123-def',
      },
      body: { card: { number: '****1111', holder: 'A B' }, password: REDACTED, apiKey: REDACTED },
      nested: [{ refreshToken: REDACTED }, { clientSecret: REDACTED }],
      // Id fields are ids by contract and stay searchable.
      orderId: '4111111111111111',
    });
  });

  it('reduces errors to type, message and stack, masked', () => {
    const error = new TypeError('card 4111111111111111 refused');
    const sanitized = sanitizeForLog({ err: error }) as {
      err: { type: string; message: string; stack: string };
    };
    expect(sanitized.err.type).toBe('TypeError');
    expect(sanitized.err.message).toBe('card ****1111 refused');
    expect(sanitized.err.stack).not.toContain('4111111111111111');
  });

  it('survives cycles and buffers', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(() => JSON.stringify(sanitizeForLog(cyclic))).not.toThrow();
    expect(sanitizeForLog({ raw: Buffer.from('4111111111111111') })).toEqual({ raw: '[16 bytes]' });
  });
});
