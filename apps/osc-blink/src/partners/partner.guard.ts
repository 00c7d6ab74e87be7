import { CanActivate, ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Metadata } from '@grpc/grpc-js';
import { PARTNER_ID_METADATA, PARTNER_SECRET_METADATA, PartnerKind } from '@eos/common';
import { DomainError, DomainErrorCode } from '@eos/domain';
import { withQueryDeadline } from '@eos/persistence';
import { callerDeadline, grpcCallOf, grpcMetadataOf } from '../grpc/grpc-call';
import { PartnerAuthenticator } from './partner.authenticator';
import { PartnerPrincipal } from './partner.principal';
import { PartnerRateLimiter } from './partner-rate.limiter';

const SERVED_KIND = Symbol('SERVED_PARTNER_KIND');

/** Marks a gRPC controller as serving one kind of partner; PartnerGuard enforces it. */
export const ServesPartners = (kind: PartnerKind) => SetMetadata(SERVED_KIND, kind);

// The principal rides on the call object itself, for the handler's parameter decorator.
const principals = new WeakMap<object, PartnerPrincipal>();

function single(metadata: Metadata, key: string): string | undefined {
  const values = metadata.get(key);
  return values.length === 1 && typeof values[0] === 'string' ? values[0] : undefined;
}

/**
 * Authenticates every call of a partner service from its metadata, refuses a credential of the
 * other kind (PERMISSION_DENIED), then takes one call from the partner's rate limit
 * (RESOURCE_EXHAUSTED). The credential lookup is bounded by the call's deadline like any query.
 */
@Injectable()
export class PartnerGuard implements CanActivate {
  constructor(
    private readonly authenticator: PartnerAuthenticator,
    private readonly limiter: PartnerRateLimiter,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const kind = this.reflector.getAllAndOverride<PartnerKind | undefined>(SERVED_KIND, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (kind === undefined) throw new Error('PartnerGuard on a controller without @ServesPartners');
    const call = grpcCallOf(context);
    const metadata = grpcMetadataOf(context);
    const authenticate = () =>
      this.authenticator.authenticate(
        single(metadata, PARTNER_ID_METADATA),
        single(metadata, PARTNER_SECRET_METADATA),
      );
    const deadline = callerDeadline(call);
    const principal = await (Number.isFinite(deadline)
      ? withQueryDeadline(deadline, authenticate)
      : authenticate());
    if (principal.kind !== kind) {
      throw new DomainError(
        DomainErrorCode.Forbidden,
        `this service is for ${kind === 'MERCHANT' ? 'merchant' : 'delivery'} partners`,
      );
    }
    this.limiter.take(principal.credentialId, principal.ratePerSecond, principal.burst);
    principals.set(call, principal);
    return true;
  }
}

function principalOf(context: ExecutionContext): PartnerPrincipal {
  const principal = principals.get(grpcCallOf(context));
  if (!principal) throw new DomainError(DomainErrorCode.Unauthenticated, 'the call was not authenticated');
  return principal;
}

function wrongKind(): DomainError {
  return new DomainError(DomainErrorCode.Forbidden, 'these credentials are for another kind of partner');
}

/** The merchant partner the call speaks for, as PartnerGuard verified it. */
export const CallingMerchant = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const principal = principalOf(context);
  if (principal.kind !== 'MERCHANT') throw wrongKind();
  return principal;
});

/** The delivery partner the call speaks for, as PartnerGuard verified it. */
export const CallingDeliveryPartner = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const principal = principalOf(context);
  if (principal.kind !== 'DELIVERY') throw wrongKind();
  return principal;
});
