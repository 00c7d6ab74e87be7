import { createHmac } from 'node:crypto';
import { DomainError } from '@eos/domain';
import { signPaymentCallback, verifyPaymentSignature } from './payment-signature';

const SECRET = 'a-webhook-secret-of-some-length';
const NOW = 1_764_900_000;
const BODY = Buffer.from(
  '{"notificationId":"n-1","orderId":"1","amountCents":100,"status":"SUCCEEDED","paidAt":null}',
);

function refusal(header: unknown, rawBody = BODY, nowSeconds = NOW): string | undefined {
  try {
    verifyPaymentSignature({ secret: SECRET, header, rawBody, nowSeconds });
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe('payment callback signature', () => {
  it('signs "<t>.<raw body>" with HMAC-SHA256 as the contract says', () => {
    const expected = createHmac('sha256', SECRET).update(`${NOW}.${BODY.toString()}`).digest('hex');
    expect(signPaymentCallback(SECRET, BODY, NOW)).toBe(`t=${NOW},v1=${expected}`);
    expect(signPaymentCallback(SECRET, BODY.toString(), NOW + 0.9)).toBe(`t=${NOW},v1=${expected}`);
  });

  it('accepts its own signature, within five minutes either way', () => {
    const header = signPaymentCallback(SECRET, BODY, NOW);
    expect(refusal(header)).toBeUndefined();
    expect(refusal(header, BODY, NOW + 300)).toBeUndefined();
    expect(refusal(header, BODY, NOW - 300)).toBeUndefined();
  });

  it('refuses a stale or future signature as expired', () => {
    const header = signPaymentCallback(SECRET, BODY, NOW);
    expect(refusal(header, BODY, NOW + 301)).toBe('PAYMENT_SIGNATURE_EXPIRED');
    expect(refusal(header, BODY, NOW - 301)).toBe('PAYMENT_SIGNATURE_EXPIRED');
  });

  it('refuses any change of the body, the timestamp or the secret', () => {
    const header = signPaymentCallback(SECRET, BODY, NOW);
    expect(refusal(header, Buffer.from(BODY.toString().replace('100', '101')))).toBe(
      'PAYMENT_SIGNATURE_INVALID',
    );
    expect(refusal(header, Buffer.concat([BODY, Buffer.from(' ')]))).toBe('PAYMENT_SIGNATURE_INVALID');
    expect(refusal(header.replace(`t=${NOW}`, `t=${NOW + 1}`))).toBe('PAYMENT_SIGNATURE_INVALID');
    expect(refusal(signPaymentCallback('another-secret-entirely', BODY, NOW))).toBe(
      'PAYMENT_SIGNATURE_INVALID',
    );
  });

  it('accepts any one matching v1 among several (secret rotation)', () => {
    const good = signPaymentCallback(SECRET, BODY, NOW).split(',v1=')[1];
    expect(refusal(`t=${NOW},v1=${'0'.repeat(64)},v1=${good}`)).toBeUndefined();
    expect(refusal(`v1=${good}, t=${NOW}`)).toBeUndefined();
  });

  it.each([
    ['missing', undefined],
    ['repeated', ['t=1,v1=x', 't=1,v1=y']],
    ['empty', ''],
    ['without t', `v1=${'a'.repeat(64)}`],
    ['without v1', `t=${NOW}`],
    ['with two t', `t=${NOW},t=${NOW},v1=${'a'.repeat(64)}`],
    ['with a non-numeric t', `t=now,v1=${'a'.repeat(64)}`],
    ['with a short v1', `t=${NOW},v1=abcd`],
    ['with upper-case hex', `t=${NOW},v1=${'A'.repeat(64)}`],
    ['without "="', 'garbage'],
    ['absurdly long', `t=${NOW},v1=${'a'.repeat(64)},${'x=1,'.repeat(400)}`],
  ])('refuses a header that is %s', (_name, header) => {
    expect(refusal(header)).toBe('PAYMENT_SIGNATURE_INVALID');
  });
});
