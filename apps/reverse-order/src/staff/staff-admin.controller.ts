import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import { Permission } from '@eos/domain';
import { CurrentStaff } from './current-staff.decorator';
import {
  CreateStaffDto,
  GrantDto,
  GrantParams,
  ListStaffQuery,
  OptionalReasonDto,
  ReasonDto,
  StaffIdParams,
  reasonOf,
} from './dto/staff-admin.dto';
import { RequiresPermission } from './requires-permission.decorator';
import { StaffAdminService } from './staff-admin.service';
import { StaffAuthGuard } from './staff-auth.guard';
import type { StaffMember } from './staff.directory';
import { StaffView, presentStaff } from './staff.presenter';

/** Staff and grant administration; every change is audited in staff.audit_log. */
@Controller('v1/cs/staff')
@UseGuards(StaffAuthGuard)
@RequiresPermission(Permission.StaffAdmin)
export class StaffAdminController {
  constructor(private readonly admin: StaffAdminService) {}

  @Get()
  async list(@Query() query: ListStaffQuery): Promise<{ items: StaffView[]; nextCursor: string | null }> {
    const page = await this.admin.list(query.limit, query.cursor);
    return { items: page.items.map(presentStaff), nextCursor: page.nextCursor };
  }

  @Get(':staffId')
  async get(@Param() params: StaffIdParams): Promise<StaffView> {
    return presentStaff(await this.admin.get(params.staffId));
  }

  @Post()
  @HttpCode(201)
  async create(@CurrentStaff() actor: StaffMember, @Body() body: CreateStaffDto): Promise<StaffView> {
    return presentStaff(await this.admin.create(actor, body));
  }

  @Put(':staffId/grants/:permission')
  async grant(
    @CurrentStaff() actor: StaffMember,
    @Param() params: GrantParams,
    @Body() body: GrantDto,
  ): Promise<StaffView> {
    return presentStaff(
      await this.admin.grant(
        actor,
        params.staffId,
        params.permission,
        body.ceilingCents ?? null,
        body.reason,
      ),
    );
  }

  @Delete(':staffId/grants/:permission')
  async revoke(
    @CurrentStaff() actor: StaffMember,
    @Param() params: GrantParams,
    @Query() query: OptionalReasonDto,
    @Body() body: OptionalReasonDto,
  ): Promise<StaffView> {
    return presentStaff(
      await this.admin.revoke(actor, params.staffId, params.permission, reasonOf(query, body)),
    );
  }

  @Post(':staffId/deactivate')
  @HttpCode(200)
  async deactivate(
    @CurrentStaff() actor: StaffMember,
    @Param() params: StaffIdParams,
    @Body() body: ReasonDto,
  ): Promise<StaffView> {
    return presentStaff(await this.admin.deactivate(actor, params.staffId, body.reason));
  }
}
