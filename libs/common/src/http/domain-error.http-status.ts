import { HttpStatus } from '@nestjs/common';
import { DomainErrorCode } from '@eos/domain';

/** The one mapping from domain codes to HTTP statuses; a Record, so a new code cannot be forgotten. */
export const HTTP_STATUS_OF: Readonly<Record<DomainErrorCode, HttpStatus>> = {
  [DomainErrorCode.ValidationFailed]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.InvalidId]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.CartEmpty]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.DuplicateItem]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.QuantityOutOfRange]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.IdempotencyKeyRequired]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.MerchantNotFound]: HttpStatus.NOT_FOUND,
  [DomainErrorCode.OrderNotFound]: HttpStatus.NOT_FOUND,
  [DomainErrorCode.MerchantClosed]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.ItemNotFound]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.ItemUnavailable]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.IdempotencyKeyReused]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.IllegalTransition]: HttpStatus.CONFLICT,
  [DomainErrorCode.VersionConflict]: HttpStatus.CONFLICT,
  [DomainErrorCode.IdempotencyKeyInFlight]: HttpStatus.CONFLICT,
  [DomainErrorCode.Unauthenticated]: HttpStatus.UNAUTHORIZED,
  [DomainErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [DomainErrorCode.ShardUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [DomainErrorCode.DependencyUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [DomainErrorCode.IdsUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [DomainErrorCode.PaymentSignatureInvalid]: HttpStatus.UNAUTHORIZED,
  [DomainErrorCode.PaymentSignatureExpired]: HttpStatus.UNAUTHORIZED,
  [DomainErrorCode.PaymentAmountMismatch]: HttpStatus.UNPROCESSABLE_ENTITY,
};
