import fc from 'fast-check';
import jwt from 'jsonwebtoken';

export type TokenRole = 'customer' | 'staff';

export interface AuthorizationCase {
  /** What is wrong with it, for the counterexample report. */
  readonly label: string;
  /** The Authorization header to send; undefined sends none. */
  readonly header: string | undefined;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function signed(secret: string, claims: Record<string, unknown>, options: jwt.SignOptions = {}): string {
  return jwt.sign(claims, secret, { algorithm: 'HS256', ...options });
}

/**
 * Authorization headers a route of `role` must refuse with 401 or 403: none, junk, other schemes,
 * tokens signed with another secret or algorithm, `alg: none`, expired or not yet valid, tampered,
 * of the other role, without or with a malformed subject, and oversized. `subject` is a real id,
 * so only the named flaw makes each token wrong. `extra` adds route-specific cases (a staff
 * member without the permission, a deactivated one).
 */
export function refusedAuthorization(
  secret: string,
  role: TokenRole,
  subject: string,
  extra: readonly AuthorizationCase[] = [],
): fc.Arbitrary<AuthorizationCase> {
  const now = Math.floor(Date.now() / 1000);
  const otherRole: TokenRole = role === 'customer' ? 'staff' : 'customer';
  const good = signed(secret, { role }, { subject, expiresIn: 3600 });
  const [header, payload, signature] = good.split('.');
  const fixed: AuthorizationCase[] = [
    { label: 'no header', header: undefined },
    { label: 'empty', header: '' },
    { label: 'scheme only', header: 'Bearer' },
    { label: 'scheme and space', header: 'Bearer ' },
    { label: 'basic auth', header: 'Basic dXNlcjpwYXNzd29yZA==' },
    { label: 'other scheme', header: `Token ${good}` },
    { label: 'token without scheme', header: good },
    { label: 'two tokens', header: `Bearer ${good} ${good}` },
    { label: 'three dots', header: 'Bearer a.b.c' },
    { label: 'not base64', header: 'Bearer !!!.???.***' },
    { label: 'wrong secret', header: `Bearer ${signed('not-the-secret-at-all', { role }, { subject })}` },
    { label: 'HS512', header: `Bearer ${jwt.sign({ role }, secret, { algorithm: 'HS512', subject })}` },
    {
      label: 'alg none',
      header: `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: subject, role, exp: now + 3600 })}.`,
    },
    {
      label: 'alg none with the original signature',
      header: `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.${signature}`,
    },
    {
      label: 'tampered payload',
      header: `Bearer ${header}.${base64url({ sub: '1', role, exp: now + 3600 })}.${signature}`,
    },
    { label: 'expired', header: `Bearer ${signed(secret, { role, sub: subject, exp: now - 120 })}` },
    {
      label: 'not yet valid',
      header: `Bearer ${signed(secret, { role, sub: subject, nbf: now + 3600, exp: now + 7200 })}`,
    },
    { label: 'other role', header: `Bearer ${signed(secret, { role: otherRole }, { subject })}` },
    { label: 'unknown role', header: `Bearer ${signed(secret, { role: 'admin' }, { subject })}` },
    { label: 'no role', header: `Bearer ${signed(secret, {}, { subject })}` },
    { label: 'role array', header: `Bearer ${signed(secret, { role: [role] }, { subject })}` },
    { label: 'no subject', header: `Bearer ${signed(secret, { role })}` },
    ...['0', '-1', '01', 'abc', '1.5', '9223372036854775808', ' 1'].map((sub) => ({
      label: `subject ${JSON.stringify(sub)}`,
      header: `Bearer ${signed(secret, { role, sub })}`,
    })),
    { label: 'numeric subject', header: `Bearer ${signed(secret, { role, sub: Number(subject) })}` },
    { label: 'oversized', header: `Bearer ${'A'.repeat(6000)}` },
    { label: 'latin-1 bytes', header: `Bearer ${Buffer.from('tökén', 'utf8').toString('latin1')}` },
    ...extra,
  ];
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...fixed) },
    fc
      .string({ maxLength: 80, unit: 'grapheme-ascii' })
      .filter((text) => !/[\r\n\0]/.test(text))
      .map((text) => ({ label: 'junk', header: text })),
    fc
      .string({ minLength: 1, maxLength: 300, unit: 'grapheme-ascii' })
      .filter((text) => !/[\r\n\0\s]/.test(text))
      .map((text) => ({ label: 'junk token', header: `Bearer ${text}` })),
  );
}
