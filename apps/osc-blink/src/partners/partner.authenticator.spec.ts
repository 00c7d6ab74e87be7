import 'reflect-metadata';
import { hashPartnerSecret, newPartnerSecret } from '@eos/common';
import { DomainError, DomainErrorCode } from '@eos/domain';
import { PartnerCredentialRecord, PartnerCredentialRepository } from '@eos/persistence';
import { PartnerAuthenticator } from './partner.authenticator';

const SECRET = newPartnerSecret();

function record(overrides: Partial<PartnerCredentialRecord> = {}): PartnerCredentialRecord {
  return {
    id: '7',
    kind: 'MERCHANT',
    merchantIds: ['70', '71'],
    deliveryPartnerId: null,
    secretSha256: hashPartnerSecret(SECRET),
    ratePerSecond: null,
    burst: 5,
    label: null,
    createdAt: new Date(0),
    revokedAt: null,
    ...overrides,
  };
}

class FakeCredentials {
  reads = 0;
  constructor(public stored: PartnerCredentialRecord | null) {}
  async find(): Promise<PartnerCredentialRecord | null> {
    this.reads += 1;
    await Promise.resolve();
    return this.stored;
  }
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('PartnerAuthenticator', () => {
  let now: number;
  let credentials: FakeCredentials;
  let authenticator: PartnerAuthenticator;

  beforeEach(() => {
    now = 0;
    credentials = new FakeCredentials(record());
    authenticator = new PartnerAuthenticator(
      credentials as unknown as PartnerCredentialRepository,
      { cacheMs: 1000, defaultRatePerSecond: 50, defaultBurst: 100 },
      () => now,
    );
  });

  it('verifies the secret and says whom the call speaks for, with its limits', async () => {
    const principal = await authenticator.authenticate('7', SECRET);
    expect(principal).toEqual({
      credentialId: '7',
      kind: 'MERCHANT',
      merchantIds: new Set(['70', '71']),
      ratePerSecond: 50,
      burst: 5,
    });
  });

  it.each<[string, string | undefined, string | undefined]>([
    ['no id', undefined, SECRET],
    ['no secret', '7', undefined],
    ['a malformed id', '7a', SECRET],
    ['an id beyond int64', '99999999999999999999', SECRET],
    ['a malformed secret', '7', 'short'],
    ['a wrong secret', '7', newPartnerSecret()],
  ])('refuses %s as UNAUTHENTICATED', async (_label, id, secret) => {
    expect((await refusal(authenticator.authenticate(id, secret))).code).toBe(
      DomainErrorCode.Unauthenticated,
    );
  });

  it('refuses a revoked credential once the cache period is over', async () => {
    await authenticator.authenticate('7', SECRET);
    credentials.stored = record({ revokedAt: new Date() });
    await authenticator.authenticate('7', SECRET);
    now += 1001;
    expect((await refusal(authenticator.authenticate('7', SECRET))).code).toBe(
      DomainErrorCode.Unauthenticated,
    );
    expect(await authenticator.isActive('7')).toBe(false);
  });

  it('reads each credential once per cache period, once for concurrent calls, unknown ids too', async () => {
    await Promise.all([authenticator.authenticate('7', SECRET), authenticator.authenticate('7', SECRET)]);
    await authenticator.authenticate('7', SECRET);
    expect(credentials.reads).toBe(1);
    credentials.stored = null;
    now += 1001;
    await refusal(authenticator.authenticate('7', SECRET));
    await refusal(authenticator.authenticate('7', SECRET));
    expect(credentials.reads).toBe(2);
  });

  it('gives a delivery credential its partner', async () => {
    credentials.stored = record({ kind: 'DELIVERY', merchantIds: [], deliveryPartnerId: '900' });
    expect(await authenticator.authenticate('7', SECRET)).toMatchObject({
      kind: 'DELIVERY',
      deliveryPartnerId: '900',
    });
  });
});
