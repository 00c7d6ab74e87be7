import type { Grant, Permission } from './api-types';

/** What the signed-in member may do on a case, from GET /v1/cs/me (the server still checks each call). */
export interface Capabilities {
  readonly approve: boolean;
  /** The largest refund they may approve; null: no ceiling (or no approval at all). */
  readonly approveCeilingCents: number | null;
  readonly reject: boolean;
  readonly cancel: boolean;
}

function granted(grants: readonly Grant[], permission: Permission): readonly Grant[] {
  return grants.filter((grant) => grant.permission === permission);
}

/** As the server reads grants: held if any grant has it; of several, the widest ceiling counts. */
export function capabilitiesOf(grants: readonly Grant[]): Capabilities {
  const approvals = granted(grants, 'refund.approve');
  const unlimited = approvals.some((grant) => grant.ceilingCents === null);
  return {
    approve: approvals.length > 0,
    approveCeilingCents:
      approvals.length === 0 || unlimited
        ? null
        : Math.max(...approvals.map((grant) => grant.ceilingCents ?? 0)),
    reject: granted(grants, 'reverse.reject').length > 0,
    cancel: granted(grants, 'order.cancel').length > 0,
  };
}

/** Whether `amountCents` is above what the member may approve alone. */
export function aboveCeiling(capabilities: Capabilities, amountCents: number): boolean {
  return capabilities.approveCeilingCents !== null && amountCents > capabilities.approveCeilingCents;
}
