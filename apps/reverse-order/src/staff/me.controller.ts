import { Controller, Get, UseGuards } from '@nestjs/common';
import { CurrentStaff } from './current-staff.decorator';
import { AnyStaff } from './requires-permission.decorator';
import { StaffAuthGuard } from './staff-auth.guard';
import type { StaffMember } from './staff.directory';
import { SelfView, presentSelf } from './staff.presenter';

/** Who the caller is to the platform: id, role and grants, as checked on this very request. */
@Controller('v1/cs/me')
@UseGuards(StaffAuthGuard)
export class MeController {
  @Get()
  @AnyStaff()
  me(@CurrentStaff() staff: StaffMember): SelfView {
    return presentSelf(staff);
  }
}
