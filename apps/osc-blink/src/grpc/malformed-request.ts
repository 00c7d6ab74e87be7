import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { PackageDefinition } from '@grpc/proto-loader';
import { DomainError, DomainErrorCode } from '@eos/domain';

const MALFORMED = Symbol('MALFORMED_REQUEST');

interface MalformedRequest {
  readonly [MALFORMED]: string;
}

interface MethodDefinitionLike {
  requestDeserialize?: (bytes: Buffer) => unknown;
  path?: string;
}

/**
 * grpc-js answers a request whose bytes do not decode as its message with INTERNAL, before any
 * handler runs. Bad input must be INVALID_ARGUMENT, so each method's decoder is wrapped: bytes that
 * do not decode become a marker the handler's guard refuses with VALIDATION_FAILED.
 */
export function tolerateMalformedRequests(definition: PackageDefinition): void {
  for (const service of Object.values(definition)) {
    if (typeof service !== 'object' || service === null || 'format' in service) continue;
    for (const method of Object.values(service as Record<string, MethodDefinitionLike>)) {
      const decode = method.requestDeserialize;
      if (typeof decode !== 'function') continue;
      method.requestDeserialize = (bytes: Buffer): unknown => {
        try {
          return decode(bytes);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          return { [MALFORMED]: reason } satisfies MalformedRequest;
        }
      };
    }
  }
}

/** Refuses a request marked by tolerateMalformedRequests with INVALID_ARGUMENT. */
@Injectable()
export class WellFormedRequestGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request: unknown = context.getArgByIndex(0);
    if (typeof request === 'object' && request !== null && MALFORMED in request) {
      throw new DomainError(
        DomainErrorCode.ValidationFailed,
        `the request is not a valid message of this method: ${(request as MalformedRequest)[MALFORMED]}`,
      );
    }
    return true;
  }
}
