import { Controller, Get, UseGuards } from '@nestjs/common';
import { CustomerAuthGuard, CustomerId } from '@eos/common';
import { MembershipQueryService, MembershipView } from './membership-query.service';

@Controller('v1/memberships')
@UseGuards(CustomerAuthGuard)
export class MembershipsController {
  constructor(private readonly memberships: MembershipQueryService) {}

  @Get('me')
  async mine(@CustomerId() userId: string): Promise<{ userId: string; memberships: MembershipView[] }> {
    return { userId, memberships: await this.memberships.mine(userId) };
  }
}
