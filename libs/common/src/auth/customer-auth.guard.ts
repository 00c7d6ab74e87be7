import { CanActivate, ExecutionContext, Inject, Injectable, createParamDecorator } from '@nestjs/common';
import { DomainError, DomainErrorCode } from '@eos/domain';
import type { FastifyRequest } from 'fastify';
import { EOS_CONFIG } from '../config/config.module';
import type { EosConfig } from '../config/eos.config';
import { Principal, bearerToken, verifyToken } from './jwt-token';

type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/** Lets through only requests bearing a valid customer token; the customer id rides on the request. */
@Injectable()
export class CustomerAuthGuard implements CanActivate {
  constructor(@Inject(EOS_CONFIG) private readonly config: EosConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = verifyToken(this.config.JWT_SECRET, bearerToken(request.headers.authorization));
    if (principal.role !== 'customer') {
      throw new DomainError(DomainErrorCode.Forbidden, 'this route is for customers');
    }
    request.principal = principal;
    return true;
  }
}

/** The authenticated customer's user id (decimal string). */
export const CustomerId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.principal) throw new DomainError(DomainErrorCode.Unauthenticated, 'not authenticated');
  return request.principal.id;
});
