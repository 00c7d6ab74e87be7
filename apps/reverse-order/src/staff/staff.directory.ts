import { EntityCache } from '@eos/cache';
import { DomainError, DomainErrorCode, Grant, StaffRole } from '@eos/domain';
import type { StaffRecord } from '@eos/persistence';
import type Redis from 'ioredis';

/** A staff member as every staff route sees it: who, which role, whether active, what granted. */
export interface StaffMember {
  readonly id: string;
  readonly name: string;
  readonly role: StaffRole;
  readonly active: boolean;
  readonly grants: readonly Grant[];
}

/** Where the directory reads members from (StaffRepository in the app; a pausable one in tests). */
export interface StaffSource {
  find(staffId: string): Promise<StaffRecord | null>;
}

type CachedStaff = StaffMember & { readonly version: number };

/**
 * Staff members and their grants, read on every staff request through a Redis cache keyed by
 * staff id and stamped with the member's version (the EntityCache of @eos/cache).
 *
 * A change must stop working at once, on every instance. Each change raises the member's version
 * in its own transaction and, before committing, writes a tombstone of that version here
 * (`markChanged`): from then on no cached copy is served, and a reader that loaded the member
 * before the change holds an older version, so it can never store it over the tombstone. If
 * Redis cannot take the tombstone, the change is refused: a stale grant must not outlive it.
 * When Redis is down for reads, members come from the database: slower, never wrong.
 */
export class StaffDirectory {
  private readonly cache: EntityCache<CachedStaff>;

  constructor(
    private readonly source: StaffSource,
    redis: Redis,
    ttlSeconds: number,
  ) {
    this.cache = new EntityCache<CachedStaff>(redis, { name: 'staff:grants', ttlSeconds });
  }

  async grantsOf(staffId: string): Promise<StaffMember | null> {
    const cached = await this.cache.get(staffId, async () => {
      const record = await this.source.find(staffId);
      return record ? cachedFrom(record) : null;
    });
    return cached ? memberFrom(cached) : null;
  }

  /**
   * Marks `staffId` changed at `version`; call it inside the change's transaction, before commit
   * (StaffChange.beforeCommit). Throws DEPENDENCY_UNAVAILABLE, rolling the change back, when
   * Redis cannot be told.
   */
  async markChanged(staffId: string, version: number): Promise<void> {
    if (!(await this.cache.invalidate(staffId, version))) {
      throw new DomainError(
        DomainErrorCode.DependencyUnavailable,
        'the staff grants cache is unreachable; the change was not made, so that no cached grant outlives it',
      );
    }
  }
}

function cachedFrom(record: StaffRecord): CachedStaff {
  return { ...memberFrom(record), version: record.version };
}

function memberFrom(member: StaffMember): StaffMember {
  return {
    id: member.id,
    name: member.name,
    role: member.role,
    active: member.active,
    grants: member.grants.map((grant) => ({
      permission: grant.permission,
      ceilingCents: grant.ceilingCents,
    })),
  };
}
