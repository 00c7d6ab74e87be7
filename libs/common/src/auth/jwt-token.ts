import { DomainError, DomainErrorCode } from '@eos/domain';
import { KeyObject, createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';

export type Role = 'customer' | 'staff';

export interface Principal {
  readonly id: string;
  readonly role: Role;
}

const POSITIVE_INT64 = /^[1-9][0-9]{0,18}$/;
const MAX_INT64 = (1n << 63n) - 1n;

const keys = new Map<string, KeyObject>();

/**
 * The secret as a KeyObject, made once. Given a string, jsonwebtoken first tries to parse it as a
 * public key on every call, which cost ~300 µs per request and dominated the checkout profile.
 */
function secretKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

interface VerifiedToken {
  readonly principal: Principal;
  /** The token's `exp`, in epoch seconds: it is verified again (and refused) from then on. */
  readonly expiresAt: number;
}

// A customer sends the same token with every request; checking its HMAC and parsing its claims
// again each time was a few percent of the checkout's CPU. Keyed by the whole token text, so a
// token that differs in any byte (a tampered one) is verified from scratch.
const VERIFIED_TOKENS_PER_SECRET = 50_000;
const verified = new Map<string, LRUCache<string, VerifiedToken>>();

function verifiedTokens(secret: string): LRUCache<string, VerifiedToken> {
  let tokens = verified.get(secret);
  if (!tokens) {
    tokens = new LRUCache({ max: VERIFIED_TOKENS_PER_SECRET });
    verified.set(secret, tokens);
  }
  return tokens;
}

export function mintToken(secret: string, role: Role, subject: string, expiresInSeconds = 24 * 3600): string {
  return jwt.sign({ role }, secretKey(secret), { algorithm: 'HS256', subject, expiresIn: expiresInSeconds });
}

/**
 * Verifies an HS256 token and returns who it speaks for; anything else is UNAUTHENTICATED. A token
 * verified before answers from memory until its `exp`, exactly when jsonwebtoken would refuse it.
 */
export function verifyToken(secret: string, token: string): Principal {
  const tokens = verifiedTokens(secret);
  const known = tokens.get(token);
  if (known && Math.floor(Date.now() / 1000) < known.expiresAt) return known.principal;
  const { principal, expiresAt } = verifyClaims(secret, token);
  if (expiresAt !== undefined) tokens.set(token, { principal, expiresAt });
  return principal;
}

function verifyClaims(secret: string, token: string): { principal: Principal; expiresAt?: number } {
  let claims: string | jwt.JwtPayload;
  try {
    claims = jwt.verify(token, secretKey(secret), { algorithms: ['HS256'] });
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'invalid token';
    throw new DomainError(DomainErrorCode.Unauthenticated, `invalid bearer token: ${reason}`);
  }
  if (typeof claims === 'string')
    throw new DomainError(DomainErrorCode.Unauthenticated, 'invalid token claims');
  const { sub, role, exp } = claims as { sub?: unknown; role?: unknown; exp?: unknown };
  if (typeof sub !== 'string' || !POSITIVE_INT64.test(sub) || BigInt(sub) > MAX_INT64) {
    throw new DomainError(DomainErrorCode.Unauthenticated, 'token subject must be a positive integer id');
  }
  if (role !== 'customer' && role !== 'staff') {
    throw new DomainError(DomainErrorCode.Unauthenticated, 'token role must be customer or staff');
  }
  // A token without `exp` never expires for jsonwebtoken; it is verified on every use instead.
  return { principal: { id: sub, role }, expiresAt: typeof exp === 'number' ? exp : undefined };
}

export function bearerToken(header: unknown): string {
  if (typeof header !== 'string') {
    throw new DomainError(DomainErrorCode.Unauthenticated, 'missing Authorization: Bearer <token> header');
  }
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match)
    throw new DomainError(DomainErrorCode.Unauthenticated, 'Authorization header must be "Bearer <token>"');
  return match[1];
}
