import { Permission, isPermission } from '@eos/domain';

/** Metadata keys of the access a staff route declares (see requires-permission.decorator.ts). */
export const REQUIRED_PERMISSION = 'eos:staff:required-permission';
export const ANY_STAFF = 'eos:staff:any-staff';

/** What a staff route demands: one permission, or only that the caller be active staff. */
export type StaffAccess =
  { readonly kind: 'permission'; readonly permission: Permission } | { readonly kind: 'any-staff' };

/** The access metadata found on a handler or on its controller class. */
export interface AccessDeclaration {
  readonly permission?: unknown;
  readonly anyStaff?: unknown;
}

/**
 * The access a route demands: the handler's declaration, else its controller's. Null when neither
 * declares one, or a declaration contradicts itself or names no known permission: the guard then
 * refuses, since a route that forgot its permission must not be open to all staff.
 */
export function staffAccessOf(handler: AccessDeclaration, controller: AccessDeclaration): StaffAccess | null {
  const own = declared(handler);
  return own !== undefined ? own : (declared(controller) ?? null);
}

/** undefined: nothing declared here; null: declared wrongly. */
function declared(declaration: AccessDeclaration): StaffAccess | null | undefined {
  const anyStaff = declaration.anyStaff !== undefined;
  const permission = declaration.permission !== undefined;
  if (anyStaff && permission) return null;
  if (anyStaff) return declaration.anyStaff === true ? { kind: 'any-staff' } : null;
  if (permission) {
    return isPermission(declaration.permission)
      ? { kind: 'permission', permission: declaration.permission }
      : null;
  }
  return undefined;
}
