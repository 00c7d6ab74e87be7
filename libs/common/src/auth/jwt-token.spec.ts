import { DomainErrorCode } from '@eos/domain';
import jwt from 'jsonwebtoken';
import { mintToken, verifyToken } from './jwt-token';

const SECRET = 'a-test-secret-of-some-length';

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return (error as { code?: unknown }).code;
  }
  return 'accepted';
}

describe('verifyToken', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('checks a token once, then answers it from memory while it is valid', () => {
    const token = mintToken(SECRET, 'customer', '42');
    const verify = jest.spyOn(jwt, 'verify');
    expect(verifyToken(SECRET, token)).toEqual({ id: '42', role: 'customer' });
    expect(verifyToken(SECRET, token)).toEqual({ id: '42', role: 'customer' });
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('refuses a token from its exp on, although it was accepted before', () => {
    jest.useFakeTimers({ now: new Date('2026-12-05T10:00:00Z') });
    const token = mintToken(SECRET, 'customer', '7', 60);
    expect(verifyToken(SECRET, token).id).toBe('7');
    jest.setSystemTime(new Date('2026-12-05T10:00:59Z'));
    expect(verifyToken(SECRET, token).id).toBe('7');
    jest.setSystemTime(new Date('2026-12-05T10:01:00Z'));
    expect(refusal(() => verifyToken(SECRET, token))).toBe(DomainErrorCode.Unauthenticated);
  });

  it('refuses a changed token and a token of another secret, after the genuine one was accepted', () => {
    const token = mintToken(SECRET, 'staff', '9');
    expect(verifyToken(SECRET, token).role).toBe('staff');
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ role: 'staff', sub: '10', exp: 4102444800 })).toString(
      'base64url',
    );
    expect(refusal(() => verifyToken(SECRET, `${header}.${forged}.${signature}`))).toBe(
      DomainErrorCode.Unauthenticated,
    );
    expect(refusal(() => verifyToken('another-secret-of-some-length', token))).toBe(
      DomainErrorCode.Unauthenticated,
    );
  });

  it('verifies a token without exp on every use, and keeps refusing bad claims', () => {
    const noExpiry = jwt.sign({ role: 'customer' }, SECRET, { algorithm: 'HS256', subject: '5' });
    const verify = jest.spyOn(jwt, 'verify');
    expect(verifyToken(SECRET, noExpiry).id).toBe('5');
    expect(verifyToken(SECRET, noExpiry).id).toBe('5');
    expect(verify).toHaveBeenCalledTimes(2);
    const badRole = jwt.sign({ role: 'admin' }, SECRET, { algorithm: 'HS256', subject: '5', expiresIn: 60 });
    expect(refusal(() => verifyToken(SECRET, badRole))).toBe(DomainErrorCode.Unauthenticated);
    expect(refusal(() => verifyToken(SECRET, badRole))).toBe(DomainErrorCode.Unauthenticated);
  });
});
