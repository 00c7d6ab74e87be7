import { status } from '@grpc/grpc-js';

/**
 * A refusal that belongs to the transport rather than the domain (a rate limit, a method the
 * bridge cannot serve yet): it carries its gRPC status itself.
 */
export class BlinkCallError extends Error {
  constructor(
    readonly status: status,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BlinkCallError';
  }
}
