import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError, DomainErrorCode } from '@eos/domain';

/** The header that carries the provider's signature (lower case, as Node presents headers). */
export const PAYMENT_SIGNATURE_HEADER = 'eos-signature';

/** A signature older (or further ahead) than this is refused, so a captured callback cannot be replayed later. */
export const PAYMENT_SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

const TIMESTAMP = /^[0-9]{1,12}$/;
const HEX_DIGEST = /^[0-9a-f]{64}$/;

function digest(secret: string, timestamp: string, rawBody: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

/** The Eos-Signature header value for `rawBody` sent at `timestampSeconds`: `t=<seconds>,v1=<hex>`. */
export function signPaymentCallback(
  secret: string,
  rawBody: Buffer | string,
  timestampSeconds: number,
): string {
  const t = String(Math.floor(timestampSeconds));
  return `t=${t},v1=${digest(secret, t, rawBody).toString('hex')}`;
}

function invalid(message: string): DomainError {
  return new DomainError(DomainErrorCode.PaymentSignatureInvalid, message);
}

export interface SignatureCheck {
  readonly secret: string;
  /** The header as received: absent, repeated or malformed is refused. */
  readonly header: unknown;
  /** The exact bytes of the body as received; the signature covers them, not a re-serialisation. */
  readonly rawBody: Buffer;
  readonly nowSeconds: number;
  readonly toleranceSeconds?: number;
}

/**
 * Verifies a payment callback's signature over "<t>.<raw body>" with HMAC-SHA256, in constant
 * time, then its freshness. Any `v1` entry may match (a provider rotating its secret sends two).
 * Throws PAYMENT_SIGNATURE_INVALID or PAYMENT_SIGNATURE_EXPIRED.
 */
export function verifyPaymentSignature(check: SignatureCheck): void {
  if (typeof check.header !== 'string' || check.header.length > 1024) {
    throw invalid('missing or malformed Eos-Signature header');
  }
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of check.header.split(',')) {
    const separator = part.indexOf('=');
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (separator < 0) throw invalid('malformed Eos-Signature header');
    if (key === 't') {
      if (timestamp !== undefined || !TIMESTAMP.test(value))
        throw invalid('malformed Eos-Signature timestamp');
      timestamp = value;
    } else if (key === 'v1') {
      if (!HEX_DIGEST.test(value)) throw invalid('malformed Eos-Signature v1 signature');
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestamp === undefined || signatures.length === 0) {
    throw invalid('Eos-Signature needs t=<unix seconds> and v1=<hex HMAC-SHA256>');
  }
  const expected = digest(check.secret, timestamp, check.rawBody);
  if (!signatures.some((signature) => timingSafeEqual(signature, expected))) {
    throw invalid('payment callback signature does not match');
  }
  const tolerance = check.toleranceSeconds ?? PAYMENT_SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(check.nowSeconds - Number(timestamp)) > tolerance) {
    throw new DomainError(
      DomainErrorCode.PaymentSignatureExpired,
      `payment callback signed at ${timestamp} is outside the ${tolerance} s tolerance`,
    );
  }
}
