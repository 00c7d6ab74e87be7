import { Injectable } from '@nestjs/common';
import { DomainError, DomainErrorCode, Permission, ROLE_DEFAULT_GRANTS, StaffRole } from '@eos/domain';
import { StaffChange, StaffRecord, StaffRepository } from '@eos/persistence';
import { StaffDirectory } from './staff.directory';
import type { StaffMember } from './staff.directory';

export interface StaffPage {
  readonly items: readonly StaffRecord[];
  readonly nextCursor: string | null;
}

const DEFAULT_PAGE = 50;

/**
 * Staff and grant administration. Every change is written with its audit row in one transaction,
 * and the grants cache is told before it commits (StaffDirectory.markChanged), so the change holds
 * on the very next request of the member, on every instance.
 */
@Injectable()
export class StaffAdminService {
  constructor(
    private readonly staff: StaffRepository,
    private readonly directory: StaffDirectory,
  ) {}

  async get(staffId: string): Promise<StaffRecord> {
    return found(staffId, await this.staff.find(staffId));
  }

  async list(limit = DEFAULT_PAGE, cursor?: string): Promise<StaffPage> {
    const items = await this.staff.list({ limit: limit + 1, after: cursor });
    const more = items.length > limit;
    const page = more ? items.slice(0, limit) : items;
    return { items: page, nextCursor: more ? page[page.length - 1].id : null };
  }

  /** A new active member with the default grants of its role. */
  async create(
    actor: StaffMember,
    member: { id: string; name: string; role: StaffRole; reason?: string },
  ): Promise<StaffRecord> {
    // A new id has nothing cached (unknown members are never stored), so no cache mark is needed.
    const created = await this.staff.create(
      { id: member.id, name: member.name, role: member.role },
      ROLE_DEFAULT_GRANTS[member.role],
      { actorId: actor.id, reason: member.reason ?? null },
    );
    if (!created) {
      throw new DomainError(DomainErrorCode.StaffAlreadyExists, `staff member ${member.id} already exists`);
    }
    return created;
  }

  /** Grants `permission` (ceiling `ceilingCents`, null for none), replacing the grant the member had. */
  async grant(
    actor: StaffMember,
    staffId: string,
    permission: Permission,
    ceilingCents: number | null,
    reason: string,
  ): Promise<StaffRecord> {
    return found(
      staffId,
      await this.staff.grant(staffId, { permission, ceilingCents }, this.change(actor, staffId, reason)),
    );
  }

  async revoke(
    actor: StaffMember,
    staffId: string,
    permission: Permission,
    reason: string,
  ): Promise<StaffRecord> {
    if (staffId === actor.id && permission === Permission.StaffAdmin) {
      throw new DomainError(
        DomainErrorCode.PermissionDenied,
        'an administrator cannot revoke their own staff.admin: another administrator must',
      );
    }
    return found(staffId, await this.staff.revoke(staffId, permission, this.change(actor, staffId, reason)));
  }

  async deactivate(actor: StaffMember, staffId: string, reason: string): Promise<StaffRecord> {
    if (staffId === actor.id) {
      throw new DomainError(
        DomainErrorCode.PermissionDenied,
        'a staff member cannot deactivate themselves: another administrator must',
      );
    }
    return found(staffId, await this.staff.deactivate(staffId, this.change(actor, staffId, reason)));
  }

  private change(actor: StaffMember, staffId: string, reason: string): StaffChange {
    return {
      actorId: actor.id,
      reason,
      beforeCommit: (version) => this.directory.markChanged(staffId, version),
    };
  }
}

function found(staffId: string, record: StaffRecord | null): StaffRecord {
  if (!record) throw new DomainError(DomainErrorCode.StaffNotFound, `staff member ${staffId} does not exist`);
  return record;
}
