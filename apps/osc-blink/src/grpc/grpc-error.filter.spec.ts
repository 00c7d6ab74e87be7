import 'reflect-metadata';
import { status } from '@grpc/grpc-js';
import { DomainError, DomainErrorCode } from '@eos/domain';
import { QueryDeadlineExceeded } from '@eos/persistence';
import { BlinkCallError } from './blink-call.error';
import { GRPC_STATUS_OF } from './domain-error.grpc-status';
import { ERROR_CODE_METADATA, toGrpcStatusError } from './grpc-error.filter';

const LATER = Date.now() + 60_000;
const EARLIER = Date.now() - 1;

describe('gRPC status of an error', () => {
  it.each(Object.values(DomainErrorCode))(
    'maps %s to a status of the contract, never UNKNOWN, INTERNAL or OK',
    (code) => {
      const mapped = toGrpcStatusError(new DomainError(code, 'no'), LATER);
      expect(mapped.code).toBe(GRPC_STATUS_OF[code]);
      expect([status.OK, status.UNKNOWN, status.INTERNAL]).not.toContain(mapped.code);
      expect(mapped.metadata.get(ERROR_CODE_METADATA)).toEqual([code]);
      expect(mapped.details).toBe('no');
    },
  );

  it.each([
    [DomainErrorCode.ValidationFailed, status.INVALID_ARGUMENT],
    [DomainErrorCode.InvalidId, status.INVALID_ARGUMENT],
    [DomainErrorCode.OrderNotFound, status.NOT_FOUND],
    [DomainErrorCode.IllegalTransition, status.FAILED_PRECONDITION],
    [DomainErrorCode.Unauthenticated, status.UNAUTHENTICATED],
    [DomainErrorCode.Forbidden, status.PERMISSION_DENIED],
    [DomainErrorCode.ShardUnavailable, status.UNAVAILABLE],
    [DomainErrorCode.VersionConflict, status.ABORTED],
  ])('answers %s with %s', (code, expected) => {
    expect(toGrpcStatusError(new DomainError(code, 'no'), LATER).code).toBe(expected);
  });

  it('answers a query cancelled by the deadline with DEADLINE_EXCEEDED', () => {
    expect(toGrpcStatusError(new QueryDeadlineExceeded(EARLIER), LATER).code).toBe(status.DEADLINE_EXCEEDED);
  });

  it('answers whatever failed after the deadline passed with DEADLINE_EXCEEDED', () => {
    const unavailable = new DomainError(DomainErrorCode.ShardUnavailable, 'statement timeout');
    expect(toGrpcStatusError(unavailable, EARLIER).code).toBe(status.DEADLINE_EXCEEDED);
    expect(toGrpcStatusError(new Error('connection terminated'), EARLIER).code).toBe(
      status.DEADLINE_EXCEEDED,
    );
  });

  it('keeps a refusal decided on the request what it is, even when answered late', () => {
    const illegal = new DomainError(DomainErrorCode.IllegalTransition, 'no');
    expect(toGrpcStatusError(illegal, EARLIER).code).toBe(status.FAILED_PRECONDITION);
  });

  it('carries the status of a transport refusal', () => {
    const limited = new BlinkCallError(status.RESOURCE_EXHAUSTED, 'RATE_LIMITED', 'slow down');
    const mapped = toGrpcStatusError(limited, LATER);
    expect([mapped.code, mapped.details]).toEqual([status.RESOURCE_EXHAUSTED, 'slow down']);
    expect(mapped.metadata.get(ERROR_CODE_METADATA)).toEqual(['RATE_LIMITED']);
  });

  it('answers anything else INTERNAL without describing it, and logs it', () => {
    const logged: string[] = [];
    const logger = { error: (line: string) => logged.push(line) };
    const mapped = toGrpcStatusError(new TypeError('secret detail'), LATER, logger as never);
    expect([mapped.code, mapped.details]).toEqual([status.INTERNAL, 'internal error']);
    expect(logged.join()).toContain('secret detail');
  });
});
