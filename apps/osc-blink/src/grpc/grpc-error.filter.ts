import { ArgumentsHost, Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { Metadata, status } from '@grpc/grpc-js';
import { isDomainError } from '@eos/domain';
import { QueryDeadlineExceeded } from '@eos/persistence';
import { Observable, throwError } from 'rxjs';
import { BlinkCallError } from './blink-call.error';
import { blinkCalls } from './blink.metrics';
import { GRPC_STATUS_OF } from './domain-error.grpc-status';
import { GrpcCall, callerDeadline, grpcCallOf, methodOf } from './grpc-call';

/** Trailing metadata key carrying the stable, machine-readable reason (as `code` in HTTP errors). */
export const ERROR_CODE_METADATA = 'eos-error-code';

/** What grpc-js turns into the call's status: code, details and trailing metadata. */
export interface GrpcStatusError {
  readonly code: status;
  readonly details: string;
  readonly message: string;
  readonly metadata: Metadata;
}

function statusError(code: status, reason: string, message: string): GrpcStatusError {
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_METADATA, reason);
  return { code, details: message, message, metadata };
}

/**
 * Translates anything thrown while serving a call into its gRPC status, in one place: domain
 * codes through GRPC_STATUS_OF, transport refusals with their own status, and whatever fails
 * once the caller's deadline has passed as DEADLINE_EXCEEDED (the downstream work was cancelled
 * by the deadline, whatever error that cancellation surfaced as). Anything else is INTERNAL,
 * logged with its stack and never described to the caller.
 */
export function toGrpcStatusError(exception: unknown, deadline: number, logger?: Logger): GrpcStatusError {
  if (exception instanceof QueryDeadlineExceeded || (Date.now() >= deadline && !isDomainRefusal(exception))) {
    return statusError(
      status.DEADLINE_EXCEEDED,
      'DEADLINE_EXCEEDED',
      'the deadline passed before the call finished',
    );
  }
  if (isDomainError(exception))
    return statusError(GRPC_STATUS_OF[exception.code], exception.code, exception.message);
  if (exception instanceof BlinkCallError)
    return statusError(exception.status, exception.code, exception.message);
  logger?.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  return statusError(status.INTERNAL, 'INTERNAL_ERROR', 'internal error');
}

// A refusal decided on the request itself stays what it is, even if it is answered late.
function isDomainRefusal(exception: unknown): boolean {
  return isDomainError(exception) && GRPC_STATUS_OF[exception.code] !== status.UNAVAILABLE;
}

@Catch()
export class GrpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('osc-blink');

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    const call: GrpcCall = grpcCallOf(host);
    const error = toGrpcStatusError(exception, callerDeadline(call), this.logger);
    blinkCalls.inc({ method: methodOf(call), code: status[error.code] });
    return throwError(() => error);
  }
}
