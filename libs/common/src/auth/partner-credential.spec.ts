import {
  hashPartnerSecret,
  isPartnerSecretShape,
  newPartnerSecret,
  partnerSecretMatches,
} from './partner-credential';

describe('partner secrets', () => {
  it('are 32 random bytes in base64url, different every time', () => {
    const secrets = new Set(Array.from({ length: 100 }, () => newPartnerSecret()));
    expect(secrets.size).toBe(100);
    for (const secret of secrets) {
      expect(isPartnerSecretShape(secret)).toBe(true);
      expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    }
  });

  it('are stored as their SHA-256 and matched against it', () => {
    const secret = newPartnerSecret();
    const stored = hashPartnerSecret(secret);
    expect(stored).toHaveLength(32);
    expect(stored.toString('hex')).not.toContain(Buffer.from(secret).toString('hex'));
    expect(partnerSecretMatches(secret, stored)).toBe(true);
    expect(partnerSecretMatches(newPartnerSecret(), stored)).toBe(false);
    expect(partnerSecretMatches(secret, Buffer.alloc(0))).toBe(false);
  });

  it.each(['', 'short', 'x'.repeat(44), `${'a'.repeat(42)}=`, `${'a'.repeat(42)}+`])(
    'refuses %j as a secret shape',
    (value) => {
      expect(isPartnerSecretShape(value)).toBe(false);
    },
  );
});
