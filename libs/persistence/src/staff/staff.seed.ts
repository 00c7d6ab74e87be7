import { ROLE_DEFAULT_GRANTS, StaffRole } from '@eos/domain';
import { DataSource } from 'typeorm';
import { PROVISIONING_ACTOR, StaffRepository } from './staff.repository';

/** The demo staff of the public contract: 1 admin, 2 supervisor, 3 agent. */
export const DEMO_STAFF: readonly { id: string; name: string; role: StaffRole }[] = [
  { id: '1', name: 'Demo Admin', role: StaffRole.Admin },
  { id: '2', name: 'Demo Supervisor', role: StaffRole.Supervisor },
  { id: '3', name: 'Demo Agent', role: StaffRole.Agent },
];

/**
 * Creates the demo staff with the default grants of their roles. Idempotent: a member that
 * exists is left as it is, so grants changed since (a revocation, say) are not put back.
 */
export async function seedDemoStaff(dataSource: DataSource): Promise<void> {
  const staff = new StaffRepository(dataSource);
  for (const member of DEMO_STAFF) {
    await staff.create(member, ROLE_DEFAULT_GRANTS[member.role], {
      actorId: PROVISIONING_ACTOR,
      reason: 'demo data',
    });
  }
}
