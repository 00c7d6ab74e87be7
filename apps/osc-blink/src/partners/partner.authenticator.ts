import { DomainError, DomainErrorCode } from '@eos/domain';
import { isPartnerSecretShape, partnerSecretMatches } from '@eos/common';
import { PartnerCredentialRecord, PartnerCredentialRepository } from '@eos/persistence';
import { PartnerPrincipal } from './partner.principal';

export interface AuthenticatorOptions {
  /** How long a credential read from the database is trusted; bounds how late a revocation bites. */
  readonly cacheMs: number;
  readonly defaultRatePerSecond: number;
  readonly defaultBurst: number;
  readonly maxCached?: number;
}

interface Cached {
  readonly record: PartnerCredentialRecord | null;
  readonly until: number;
}

const DECIMAL_ID = /^[1-9][0-9]{0,18}$/;
const MAX_INT64 = (1n << 63n) - 1n;

function refused(message = 'invalid partner credentials'): DomainError {
  return new DomainError(DomainErrorCode.Unauthenticated, message);
}

/**
 * Verifies a partner id and secret against the stored hash. Credentials are cached briefly in
 * this process (unknown ids too, so a flood of made-up ids does not reach the database), with
 * one database read per id at a time. Every refusal says the same thing, so it reveals nothing
 * about which part was wrong.
 */
export class PartnerAuthenticator {
  private readonly cache = new Map<string, Cached>();
  private readonly loading = new Map<string, Promise<PartnerCredentialRecord | null>>();
  private readonly maxCached: number;

  constructor(
    private readonly credentials: PartnerCredentialRepository,
    private readonly options: AuthenticatorOptions,
    private readonly clock: () => number = Date.now,
  ) {
    this.maxCached = options.maxCached ?? 10_000;
  }

  async authenticate(id: string | undefined, secret: string | undefined): Promise<PartnerPrincipal> {
    if (id === undefined || secret === undefined) {
      throw refused('missing partner credentials: send x-eos-partner-id and x-eos-partner-secret metadata');
    }
    if (!DECIMAL_ID.test(id) || BigInt(id) > MAX_INT64 || !isPartnerSecretShape(secret)) throw refused();
    const record = await this.find(id);
    if (!record || record.revokedAt !== null || !partnerSecretMatches(secret, record.secretSha256))
      throw refused();
    return this.principalOf(record);
  }

  /** Whether a credential is still valid (for streams that outlive many cache periods). */
  async isActive(id: string): Promise<boolean> {
    const record = await this.find(id);
    return record !== null && record.revokedAt === null;
  }

  /** Forgets a credential at once (after a revocation made by this process). */
  forget(id: string): void {
    this.cache.delete(id);
  }

  private principalOf(record: PartnerCredentialRecord): PartnerPrincipal {
    const limits = {
      credentialId: record.id,
      ratePerSecond: record.ratePerSecond ?? this.options.defaultRatePerSecond,
      burst: record.burst ?? this.options.defaultBurst,
    };
    if (record.kind === 'MERCHANT')
      return { ...limits, kind: 'MERCHANT', merchantIds: new Set(record.merchantIds) };
    if (record.deliveryPartnerId === null) throw refused();
    return { ...limits, kind: 'DELIVERY', deliveryPartnerId: record.deliveryPartnerId };
  }

  private async find(id: string): Promise<PartnerCredentialRecord | null> {
    const now = this.clock();
    const cached = this.cache.get(id);
    if (cached && cached.until > now) return cached.record;
    const running = this.loading.get(id);
    if (running) return running;
    const load = (async () => {
      try {
        const record = await this.credentials.find(id);
        if (this.cache.size >= this.maxCached) this.cache.delete(this.cache.keys().next().value as string);
        this.cache.set(id, { record, until: this.clock() + this.options.cacheMs });
        return record;
      } finally {
        this.loading.delete(id);
      }
    })();
    this.loading.set(id, load);
    return load;
  }
}
