import { SetMetadata } from '@nestjs/common';
import { Permission } from '@eos/domain';
import { ANY_STAFF, REQUIRED_PERMISSION } from './staff-access';

/**
 * The permission a staff route needs, checked by StaffAuthGuard on every request. On a controller
 * it covers every handler that declares nothing of its own. A route behind StaffAuthGuard that
 * declares neither this nor AnyStaff is refused.
 */
export const RequiresPermission = (permission: Permission): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_PERMISSION, permission);

/** Says explicitly that a staff route needs no permission, only an active staff member. */
export const AnyStaff = (): MethodDecorator & ClassDecorator => SetMetadata(ANY_STAFF, true);
