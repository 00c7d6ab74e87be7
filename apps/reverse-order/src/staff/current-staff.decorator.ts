import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { DomainError, DomainErrorCode } from '@eos/domain';
import type { FastifyRequest } from 'fastify';
import type { StaffMember } from './staff.directory';

/** A request StaffAuthGuard let through: the staff member rides on it. */
export type StaffRequest = FastifyRequest & { staff?: StaffMember };

/** The staff member making the request, as StaffAuthGuard loaded it for this very request. */
export const CurrentStaff = createParamDecorator((_data: unknown, context: ExecutionContext): StaffMember => {
  const request = context.switchToHttp().getRequest<StaffRequest>();
  // Only a route without StaffAuthGuard gets here without one: a programming error, refused.
  if (!request.staff) throw new DomainError(DomainErrorCode.Unauthenticated, 'not authenticated as staff');
  return request.staff;
});
