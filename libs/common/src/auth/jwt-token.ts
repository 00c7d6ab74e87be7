import { DomainError, DomainErrorCode } from '@eos/domain';
import { KeyObject, createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';

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

export function mintToken(secret: string, role: Role, subject: string, expiresInSeconds = 24 * 3600): string {
  return jwt.sign({ role }, secretKey(secret), { algorithm: 'HS256', subject, expiresIn: expiresInSeconds });
}

/** Verifies an HS256 token and returns who it speaks for; anything else is UNAUTHENTICATED. */
export function verifyToken(secret: string, token: string): Principal {
  let claims: string | jwt.JwtPayload;
  try {
    claims = jwt.verify(token, secretKey(secret), { algorithms: ['HS256'] });
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'invalid token';
    throw new DomainError(DomainErrorCode.Unauthenticated, `invalid bearer token: ${reason}`);
  }
  if (typeof claims === 'string')
    throw new DomainError(DomainErrorCode.Unauthenticated, 'invalid token claims');
  const { sub, role } = claims as { sub?: unknown; role?: unknown };
  if (typeof sub !== 'string' || !POSITIVE_INT64.test(sub) || BigInt(sub) > MAX_INT64) {
    throw new DomainError(DomainErrorCode.Unauthenticated, 'token subject must be a positive integer id');
  }
  if (role !== 'customer' && role !== 'staff') {
    throw new DomainError(DomainErrorCode.Unauthenticated, 'token role must be customer or staff');
  }
  return { id: sub, role };
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
