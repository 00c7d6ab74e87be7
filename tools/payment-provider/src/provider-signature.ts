import { DomainErrorCode, isDomainError } from '@eos/domain';
import { signPaymentCallback, verifyPaymentSignature } from '@eos/ordering';

/** The header a refund call is signed in: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export const PROVIDER_SIGNATURE_HEADER = 'provider-signature';

/** A signature further than this from the provider's clock is refused: a captured call cannot be replayed later. */
export const PROVIDER_SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

/** The Provider-Signature value of `rawBody` sent at `timestampSeconds` (the callbacks' scheme). */
export function signProviderRequest(
  secret: string,
  rawBody: Buffer | string,
  timestampSeconds: number,
): string {
  return signPaymentCallback(secret, rawBody, timestampSeconds);
}

export type SignatureVerdict = 'valid' | 'invalid' | 'stale';

/**
 * Checks a Provider-Signature header against the exact bytes received, in constant time, then its
 * freshness, exactly as eos checks the provider's callbacks. Any `v1` entry may match (a caller
 * rotating its secret sends two).
 */
export function checkProviderSignature(
  secret: string,
  header: unknown,
  rawBody: Buffer,
  nowSeconds: number,
): SignatureVerdict {
  try {
    verifyPaymentSignature({
      secret,
      header,
      rawBody,
      nowSeconds,
      toleranceSeconds: PROVIDER_SIGNATURE_TOLERANCE_SECONDS,
    });
    return 'valid';
  } catch (error) {
    if (isDomainError(error) && error.code === DomainErrorCode.PaymentSignatureExpired) return 'stale';
    if (isDomainError(error)) return 'invalid';
    throw error;
  }
}
