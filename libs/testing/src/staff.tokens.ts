import { INestApplicationContext } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { mintToken } from '@eos/common';
import { Grant, ROLE_DEFAULT_GRANTS, StaffRole } from '@eos/domain';
import { PROVISIONING_ACTOR, StaffRecord, StaffRepository } from '@eos/persistence';

/** A staff bearer token for `staffId`, signed with `secret` (the app's JWT_SECRET). */
export function staffToken(secret: string, staffId: string): string {
  return mintToken(secret, 'staff', staffId);
}

/** A staff id nobody else uses: far above the demo staff (1, 2, 3). */
export function newStaffId(): string {
  return String(10_000_000 + randomInt(0, 2 ** 47));
}

export interface NewTestStaff {
  readonly role: StaffRole;
  /** The exact grants to hold; the role's default grants when absent. */
  readonly grants?: readonly Grant[];
  readonly name?: string;
}

/**
 * A fresh active staff member with an unused id, written straight to the staff tables (audited as
 * provisioning). `target` is a running reverse-order app (its StaffRepository) or a repository.
 */
export async function createStaff(
  target: INestApplicationContext | StaffRepository,
  staff: NewTestStaff,
): Promise<StaffRecord> {
  const repository =
    target instanceof StaffRepository ? target : target.get(StaffRepository, { strict: false });
  for (;;) {
    const id = newStaffId();
    const created = await repository.create(
      { id, name: staff.name ?? `Test ${staff.role} ${id}`, role: staff.role },
      staff.grants ?? ROLE_DEFAULT_GRANTS[staff.role],
      { actorId: PROVISIONING_ACTOR, reason: 'test fixture' },
    );
    if (created) return created;
  }
}
