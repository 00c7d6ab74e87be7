import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Call metadata keys that carry a partner's credentials (gRPC metadata keys are lower case). */
export const PARTNER_ID_METADATA = 'x-eos-partner-id';
export const PARTNER_SECRET_METADATA = 'x-eos-partner-secret';

export const PartnerKind = { Merchant: 'MERCHANT', Delivery: 'DELIVERY' } as const;
export type PartnerKind = (typeof PartnerKind)[keyof typeof PartnerKind];

const SECRET_BYTES = 32;
// base64url of 32 bytes: 43 characters, no padding.
const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A new secret: 32 random bytes, base64url. Shown to the partner once, never stored. */
export function newPartnerSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

export function isPartnerSecretShape(secret: string): boolean {
  return SECRET_SHAPE.test(secret);
}

/**
 * What is stored instead of the secret. A plain SHA-256 suffices here: the secret is 256 bits
 * from a CSPRNG, so no guessing attack on a leaked hash is feasible, and a slow password hash
 * (bcrypt, scrypt) would only add milliseconds to every call for no gain. Passwords chosen by
 * people would need the slow hash; these are never chosen by people.
 */
export function hashPartnerSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Compares a presented secret with a stored hash in constant time. */
export function partnerSecretMatches(secret: string, storedHash: Buffer): boolean {
  const presented = hashPartnerSecret(secret);
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
}
