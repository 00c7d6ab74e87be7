import {
  PROVIDER_SIGNATURE_TOLERANCE_SECONDS,
  checkProviderSignature,
  signProviderRequest,
} from './provider-signature';

const SECRET = 'provider-secret-for-unit-tests';
const body = Buffer.from('{"refundId":"1","orderId":"2","amountCents":100,"currency":"CNY"}');
const now = 1_900_000_000;

describe('Provider-Signature', () => {
  it('accepts its own signature over the exact bytes', () => {
    expect(checkProviderSignature(SECRET, signProviderRequest(SECRET, body, now), body, now)).toBe('valid');
  });

  it('refuses another secret, another body, and a re-serialised body', () => {
    const header = signProviderRequest(SECRET, body, now);
    expect(checkProviderSignature('another-secret-entirely', header, body, now)).toBe('invalid');
    expect(
      checkProviderSignature(SECRET, header, Buffer.from(body.toString().replace('100', '101')), now),
    ).toBe('invalid');
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));
    expect(checkProviderSignature(SECRET, header, reformatted, now)).toBe('invalid');
  });

  it('says stale beyond the tolerance either way, valid at its edge', () => {
    const header = signProviderRequest(SECRET, body, now);
    expect(checkProviderSignature(SECRET, header, body, now + PROVIDER_SIGNATURE_TOLERANCE_SECONDS)).toBe(
      'valid',
    );
    expect(checkProviderSignature(SECRET, header, body, now + PROVIDER_SIGNATURE_TOLERANCE_SECONDS + 1)).toBe(
      'stale',
    );
    expect(checkProviderSignature(SECRET, header, body, now - PROVIDER_SIGNATURE_TOLERANCE_SECONDS - 1)).toBe(
      'stale',
    );
  });

  it('checks the signature before freshness: a forged old header is invalid, not stale', () => {
    const forged = `t=${now - 3600},v1=${'0'.repeat(64)}`;
    expect(checkProviderSignature(SECRET, forged, body, now)).toBe('invalid');
  });

  it('accepts any of several v1 entries (secret rotation)', () => {
    const good = signProviderRequest(SECRET, body, now);
    const old = signProviderRequest('the-previous-secret-value', body, now).split(',')[1];
    expect(checkProviderSignature(SECRET, `${good},${old}`, body, now)).toBe('valid');
  });

  it.each([
    undefined,
    '',
    ['t=1,v1=00'],
    'v1=abc',
    `t=${now}`,
    `t=${now},t=${now},v1=${'0'.repeat(64)}`,
    `t=abc,v1=${'0'.repeat(64)}`,
    `t=${now},v1=XYZ`,
    'garbage',
    'x'.repeat(2000),
  ])('refuses the malformed header %j', (header) => {
    expect(checkProviderSignature(SECRET, header, body, now)).toBe('invalid');
  });
});
