import { Grant, StaffRole } from '@eos/domain';
import type { StaffRecord } from '@eos/persistence';
import type { StaffMember } from './staff.directory';

export interface StaffView {
  readonly id: string;
  readonly name: string;
  readonly role: StaffRole;
  readonly active: boolean;
  readonly grants: readonly Grant[];
  readonly createdAt: string;
}

export type SelfView = Omit<StaffView, 'createdAt'>;

export function presentStaff(record: StaffRecord): StaffView {
  return { ...presentSelf(record), createdAt: record.createdAt.toISOString() };
}

export function presentSelf(member: StaffMember): SelfView {
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
