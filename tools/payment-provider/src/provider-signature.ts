import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a refund call is signed in: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export const PROVIDER_SIGNATURE_HEADER = 'provider-signature';

/** A signature further than this from the provider's clock is refused: a captured call cannot be replayed later. */
export const PROVIDER_SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

const TIMESTAMP = /^[0-9]{1,12}$/;
const HEX_DIGEST = /^[0-9a-f]{64}$/;

function digest(secret: string, timestamp: string, rawBody: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

/** The Provider-Signature value of `rawBody` sent at `timestampSeconds`. */
export function signProviderRequest(
  secret: string,
  rawBody: Buffer | string,
  timestampSeconds: number,
): string {
  const t = String(Math.floor(timestampSeconds));
  return `t=${t},v1=${digest(secret, t, rawBody).toString('hex')}`;
}

export type SignatureVerdict = 'valid' | 'invalid' | 'stale';

/**
 * Checks a Provider-Signature header against the exact bytes received, in constant time, then its
 * freshness. Any `v1` entry may match (a caller rotating its secret sends two).
 */
export function checkProviderSignature(
  secret: string,
  header: unknown,
  rawBody: Buffer,
  nowSeconds: number,
): SignatureVerdict {
  if (typeof header !== 'string' || header.length > 1024) return 'invalid';
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator < 0) return 'invalid';
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !TIMESTAMP.test(value)) return 'invalid';
      timestamp = value;
    } else if (key === 'v1') {
      if (!HEX_DIGEST.test(value)) return 'invalid';
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestamp === undefined || signatures.length === 0) return 'invalid';
  const expected = digest(secret, timestamp, rawBody);
  if (!signatures.some((signature) => timingSafeEqual(signature, expected))) return 'invalid';
  return Math.abs(nowSeconds - Number(timestamp)) > PROVIDER_SIGNATURE_TOLERANCE_SECONDS ? 'stale' : 'valid';
}
