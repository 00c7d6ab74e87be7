import { DomainError, DomainErrorCode } from '../domain.error';
import { assertCents } from '../money';
import { Grant, Permission, StaffRole } from './staff';

const grant = (permission: Permission, ceilingCents: number | null = null): Grant =>
  Object.freeze({ permission, ceilingCents });

const AGENT_APPROVAL_CEILING_CENTS = 5_000;
const SUPERVISOR_APPROVAL_CEILING_CENTS = 50_000;

/**
 * Default grants of each role, given to a new staff member; afterwards only the grants count, so
 * an admin can widen or narrow one person without inventing a role.
 * agent: order.read, refund.request, refund.approve (ceiling 5000 cents), reverse.reject.
 * supervisor: those (ceiling 50000), refund.retry, order.cancel, audit.read. admin: every Permission, no ceiling.
 */
export const ROLE_DEFAULT_GRANTS: Readonly<Record<StaffRole, readonly Grant[]>> = Object.freeze({
  [StaffRole.Agent]: Object.freeze([
    grant(Permission.OrderRead),
    grant(Permission.RefundRequest),
    grant(Permission.RefundApprove, AGENT_APPROVAL_CEILING_CENTS),
    grant(Permission.ReverseReject),
  ]),
  [StaffRole.Supervisor]: Object.freeze([
    grant(Permission.OrderRead),
    grant(Permission.RefundRequest),
    grant(Permission.RefundApprove, SUPERVISOR_APPROVAL_CEILING_CENTS),
    grant(Permission.ReverseReject),
    grant(Permission.RefundRetry),
    grant(Permission.OrderCancel),
    grant(Permission.AuditRead),
  ]),
  [StaffRole.Admin]: Object.freeze(Object.values(Permission).map((permission) => grant(permission))),
});

const ROLES: readonly string[] = Object.values(StaffRole);
const PERMISSIONS: readonly string[] = Object.values(Permission);

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && ROLES.includes(value);
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && PERMISSIONS.includes(value);
}

/**
 * Throws DomainError PERMISSION_DENIED (message names the permission) when no grant has it;
 * APPROVAL_CEILING_EXCEEDED (details {ceilingCents, amountCents}) when amountCents is given and
 * above the grant's ceiling. Should one permission be granted twice, the wider grant counts.
 */
export function assertPermitted(
  grants: readonly Grant[],
  permission: Permission,
  amountCents?: number,
): void {
  const matching = grants.filter((g) => g.permission === permission);
  if (matching.length === 0) {
    throw new DomainError(DomainErrorCode.PermissionDenied, `permission ${permission} is required`, {
      permission,
    });
  }
  if (amountCents === undefined) return;
  // NaN compares false with everything: it would slip under any ceiling.
  assertCents(amountCents, 'amount to approve');
  if (matching.some((g) => g.ceilingCents === null)) return;
  const ceilingCents = Math.max(...matching.map((g) => g.ceilingCents ?? 0));
  if (amountCents > ceilingCents) {
    throw new DomainError(
      DomainErrorCode.ApprovalCeilingExceeded,
      `${amountCents} cents is above the ${permission} ceiling of ${ceilingCents} cents`,
      { permission, ceilingCents, amountCents },
    );
  }
}
