/** Customer-service roles. A role is a label and a default set of grants; checks read grants only. */
export const StaffRole = {
  Agent: 'agent',
  Supervisor: 'supervisor',
  Admin: 'admin',
} as const;
export type StaffRole = (typeof StaffRole)[keyof typeof StaffRole];

/** Permissions a staff member can be granted; each staff route needs one. */
export const Permission = {
  OrderRead: 'order.read',
  RefundRequest: 'refund.request',
  /** Carries an amount ceiling: approving a larger refund is APPROVAL_CEILING_EXCEEDED. */
  RefundApprove: 'refund.approve',
  ReverseReject: 'reverse.reject',
  RefundRetry: 'refund.retry',
  OrderCancel: 'order.cancel',
  AuditRead: 'audit.read',
  StaffAdmin: 'staff.admin',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

export interface Grant {
  readonly permission: Permission;
  /** Largest amount in cents the grant covers; null means no ceiling. */
  readonly ceilingCents: number | null;
}
