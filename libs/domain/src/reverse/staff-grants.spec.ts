import { DomainError, DomainErrorCode } from '../domain.error';
import { Grant, Permission, StaffRole } from './staff';
import { ROLE_DEFAULT_GRANTS, assertPermitted, isPermission, isStaffRole } from './staff-grants';

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error: unknown) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

const permissionsOf = (role: StaffRole): Permission[] =>
  ROLE_DEFAULT_GRANTS[role].map((g) => g.permission).sort();
const ceilingOf = (role: StaffRole, permission: Permission): number | null | undefined =>
  ROLE_DEFAULT_GRANTS[role].find((g) => g.permission === permission)?.ceilingCents;

describe('ROLE_DEFAULT_GRANTS', () => {
  it('gives an agent reading, requesting, small approvals and rejection', () => {
    expect(permissionsOf(StaffRole.Agent)).toEqual(
      [
        Permission.OrderRead,
        Permission.RefundRequest,
        Permission.RefundApprove,
        Permission.ReverseReject,
      ].sort(),
    );
    expect(ceilingOf(StaffRole.Agent, Permission.RefundApprove)).toBe(5000);
  });

  it('gives a supervisor larger approvals, retries, cancellation and the audit', () => {
    expect(permissionsOf(StaffRole.Supervisor)).toEqual(
      [
        Permission.OrderRead,
        Permission.RefundRequest,
        Permission.RefundApprove,
        Permission.ReverseReject,
        Permission.RefundRetry,
        Permission.OrderCancel,
        Permission.AuditRead,
      ].sort(),
    );
    expect(ceilingOf(StaffRole.Supervisor, Permission.RefundApprove)).toBe(50000);
  });

  it('gives an admin every permission without a ceiling', () => {
    expect(permissionsOf(StaffRole.Admin)).toEqual(Object.values(Permission).sort());
    expect(ROLE_DEFAULT_GRANTS[StaffRole.Admin].every((g) => g.ceilingCents === null)).toBe(true);
  });

  it('carries a ceiling only on refund.approve', () => {
    for (const role of Object.values(StaffRole)) {
      for (const g of ROLE_DEFAULT_GRANTS[role]) {
        if (g.permission !== Permission.RefundApprove) expect(g.ceilingCents).toBeNull();
      }
    }
  });

  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(ROLE_DEFAULT_GRANTS)).toBe(true);
    expect(Object.isFrozen(ROLE_DEFAULT_GRANTS[StaffRole.Agent])).toBe(true);
    expect(Object.isFrozen(ROLE_DEFAULT_GRANTS[StaffRole.Agent][0])).toBe(true);
  });
});

describe('assertPermitted', () => {
  const agent = ROLE_DEFAULT_GRANTS[StaffRole.Agent];

  it('passes a granted permission', () => {
    expect(() => assertPermitted(agent, Permission.OrderRead)).not.toThrow();
    expect(() => assertPermitted(agent, Permission.RefundApprove)).not.toThrow();
  });

  it('denies a permission nobody granted, naming it', () => {
    const error = refusal(() => assertPermitted(agent, Permission.AuditRead));
    expect(error.code).toBe(DomainErrorCode.PermissionDenied);
    expect(error.message).toContain('audit.read');
    expect(refusal(() => assertPermitted([], Permission.OrderRead)).code).toBe(
      DomainErrorCode.PermissionDenied,
    );
  });

  it('allows amounts up to the ceiling and refuses above it', () => {
    expect(() => assertPermitted(agent, Permission.RefundApprove, 5000)).not.toThrow();
    const error = refusal(() => assertPermitted(agent, Permission.RefundApprove, 5001));
    expect(error.code).toBe(DomainErrorCode.ApprovalCeilingExceeded);
    expect(error.details).toMatchObject({ ceilingCents: 5000, amountCents: 5001 });
  });

  it('has no ceiling for an admin', () => {
    expect(() =>
      assertPermitted(ROLE_DEFAULT_GRANTS[StaffRole.Admin], Permission.RefundApprove, 10_000_000),
    ).not.toThrow();
  });

  it('counts the wider of two grants of one permission', () => {
    const grants: Grant[] = [
      { permission: Permission.RefundApprove, ceilingCents: 100 },
      { permission: Permission.RefundApprove, ceilingCents: 900 },
    ];
    expect(() => assertPermitted(grants, Permission.RefundApprove, 900)).not.toThrow();
    expect(refusal(() => assertPermitted(grants, Permission.RefundApprove, 901)).details).toMatchObject({
      ceilingCents: 900,
    });
  });

  it('refuses an amount that is not cents', () => {
    expect(refusal(() => assertPermitted(agent, Permission.RefundApprove, Number.NaN)).code).toBe(
      DomainErrorCode.ValidationFailed,
    );
  });
});

describe('guards', () => {
  it('recognises roles and permissions', () => {
    for (const role of Object.values(StaffRole)) expect(isStaffRole(role)).toBe(true);
    for (const permission of Object.values(Permission)) expect(isPermission(permission)).toBe(true);
    for (const value of ['Admin', 'toString', '', null, 1]) {
      expect(isStaffRole(value)).toBe(false);
      expect(isPermission(value)).toBe(false);
    }
  });
});
