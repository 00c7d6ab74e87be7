import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { EOS_CONFIG, EosConfig, bearerToken, verifyToken } from '@eos/common';
import { DomainError, DomainErrorCode, assertPermitted } from '@eos/domain';
import { StaffRequest } from './current-staff.decorator';
import { ANY_STAFF, AccessDeclaration, REQUIRED_PERMISSION, staffAccessOf } from './staff-access';
import { StaffDirectory } from './staff.directory';

/**
 * Lets through a valid staff token whose member is active and holds the permission the route
 * declares (@RequiresPermission) or, on a route marked @AnyStaff, any active member. The member
 * and its grants are looked up on every request (cached, and invalidated by every change), so a
 * revoked permission fails on the very next call. The member rides on the request (@CurrentStaff).
 */
@Injectable()
export class StaffAuthGuard implements CanActivate {
  constructor(
    @Inject(EOS_CONFIG) private readonly config: EosConfig,
    private readonly directory: StaffDirectory,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<StaffRequest>();
    const principal = verifyToken(this.config.JWT_SECRET, bearerToken(request.headers.authorization));
    if (principal.role !== 'staff')
      throw new DomainError(DomainErrorCode.Forbidden, 'this route is for staff');
    const access = staffAccessOf(
      this.declarationOn(context.getHandler()),
      this.declarationOn(context.getClass()),
    );
    if (!access) {
      throw new DomainError(
        DomainErrorCode.PermissionDenied,
        'this route declares no permission, so it is refused',
      );
    }
    const member = await this.directory.grantsOf(principal.id);
    if (!member || !member.active) {
      throw new DomainError(
        DomainErrorCode.PermissionDenied,
        `staff member ${principal.id} is unknown or deactivated`,
      );
    }
    if (access.kind === 'permission') assertPermitted(member.grants, access.permission);
    request.staff = member;
    return true;
  }

  private declarationOn(target: Parameters<Reflector['get']>[1]): AccessDeclaration {
    return {
      permission: this.reflector.get<unknown>(REQUIRED_PERMISSION, target),
      anyStaff: this.reflector.get<unknown>(ANY_STAFF, target),
    };
  }
}
