import { status } from '@grpc/grpc-js';
import { DomainErrorCode } from '@eos/domain';

/**
 * The one mapping from domain codes to gRPC statuses; a Record, so a new code cannot be forgotten.
 * Bad input is INVALID_ARGUMENT, never UNKNOWN or INTERNAL; a move the state machine forbids is
 * FAILED_PRECONDITION; a lost optimistic-locking race is ABORTED (retry the call).
 */
export const GRPC_STATUS_OF: Readonly<Record<DomainErrorCode, status>> = {
  [DomainErrorCode.ValidationFailed]: status.INVALID_ARGUMENT,
  [DomainErrorCode.InvalidId]: status.INVALID_ARGUMENT,
  [DomainErrorCode.CartEmpty]: status.INVALID_ARGUMENT,
  [DomainErrorCode.DuplicateItem]: status.INVALID_ARGUMENT,
  [DomainErrorCode.QuantityOutOfRange]: status.INVALID_ARGUMENT,
  [DomainErrorCode.IdempotencyKeyRequired]: status.INVALID_ARGUMENT,
  [DomainErrorCode.PaymentAmountMismatch]: status.INVALID_ARGUMENT,
  [DomainErrorCode.MerchantNotFound]: status.NOT_FOUND,
  [DomainErrorCode.OrderNotFound]: status.NOT_FOUND,
  [DomainErrorCode.ItemNotFound]: status.FAILED_PRECONDITION,
  [DomainErrorCode.ItemUnavailable]: status.FAILED_PRECONDITION,
  [DomainErrorCode.MerchantClosed]: status.FAILED_PRECONDITION,
  [DomainErrorCode.IdempotencyKeyReused]: status.FAILED_PRECONDITION,
  [DomainErrorCode.IllegalTransition]: status.FAILED_PRECONDITION,
  [DomainErrorCode.VersionConflict]: status.ABORTED,
  [DomainErrorCode.IdempotencyKeyInFlight]: status.ABORTED,
  [DomainErrorCode.Unauthenticated]: status.UNAUTHENTICATED,
  [DomainErrorCode.PaymentSignatureInvalid]: status.UNAUTHENTICATED,
  [DomainErrorCode.PaymentSignatureExpired]: status.UNAUTHENTICATED,
  [DomainErrorCode.Forbidden]: status.PERMISSION_DENIED,
  [DomainErrorCode.ShardUnavailable]: status.UNAVAILABLE,
  [DomainErrorCode.DependencyUnavailable]: status.UNAVAILABLE,
  [DomainErrorCode.IdsUnavailable]: status.UNAVAILABLE,
  [DomainErrorCode.OrderCompleted]: status.FAILED_PRECONDITION,
  [DomainErrorCode.ReverseNotAllowed]: status.FAILED_PRECONDITION,
  [DomainErrorCode.RefundExceedsPaid]: status.FAILED_PRECONDITION,
  [DomainErrorCode.ReverseRequestNotFound]: status.NOT_FOUND,
  [DomainErrorCode.RefundNotFound]: status.NOT_FOUND,
  [DomainErrorCode.StaffNotFound]: status.NOT_FOUND,
  [DomainErrorCode.StaffAlreadyExists]: status.ALREADY_EXISTS,
  [DomainErrorCode.PermissionDenied]: status.PERMISSION_DENIED,
  [DomainErrorCode.ApprovalCeilingExceeded]: status.PERMISSION_DENIED,
  [DomainErrorCode.SecondApproverRequired]: status.PERMISSION_DENIED,
  [DomainErrorCode.BusinessLineNotFound]: status.INVALID_ARGUMENT,
  [DomainErrorCode.VoucherNotFound]: status.NOT_FOUND,
  [DomainErrorCode.VoucherAlreadyRedeemed]: status.FAILED_PRECONDITION,
  [DomainErrorCode.VoucherVoided]: status.FAILED_PRECONDITION,
  [DomainErrorCode.MembershipPeriodStarted]: status.FAILED_PRECONDITION,
};
