import { DomainError, DomainErrorCode } from '@eos/domain';
import { optionalMerchantId } from '../grpc/request-fields';
import { MerchantPrincipal } from '../partners/partner.principal';

/**
 * The merchant a call acts as: the one named in the request, which the credential must be bound
 * to (else PERMISSION_DENIED), or the credential's only merchant when the request names none.
 */
export function actingMerchant(partner: MerchantPrincipal, requested: string): string {
  const merchantId = optionalMerchantId(requested);
  if (merchantId === undefined) {
    if (partner.merchantIds.size === 1) return [...partner.merchantIds][0];
    throw new DomainError(
      DomainErrorCode.ValidationFailed,
      'merchant_id is required: these credentials act for several merchants',
      { field: 'merchant_id' },
    );
  }
  if (!partner.merchantIds.has(merchantId)) {
    throw new DomainError(
      DomainErrorCode.Forbidden,
      `these credentials do not act for merchant ${merchantId}`,
    );
  }
  return merchantId;
}
