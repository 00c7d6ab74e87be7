import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { Permission } from '@eos/domain';
import { RequiresPermission } from '../staff/requires-permission.decorator';
import { StaffAuthGuard } from '../staff/staff-auth.guard';
import { CsAuditQueries } from './cs-audit.service';
import { AuditQuery } from './dto/cs-queries.dto';
import { AuditView } from './reverse-request.presenter';

@Controller('v1/cs/audit')
@UseGuards(StaffAuthGuard)
export class CsAuditController {
  constructor(private readonly audit: CsAuditQueries) {}

  /** `?orderId=`: that order's audit trail; `?staffId=`: what that staff member did, newest first. */
  @Get()
  @RequiresPermission(Permission.AuditRead)
  async list(@Query() query: AuditQuery): Promise<{ items: AuditView[] }> {
    return { items: await this.audit.list(query) };
  }
}
