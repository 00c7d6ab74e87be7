import { DomainError, DomainErrorCode } from '@eos/domain';
import { parseOrderId } from '@eos/sharding';

/**
 * Ids in paths are checked before anything is read: a malformed one is 400 INVALID_ID, never a
 * 5xx from Postgres, and a forged shard gene never routes to a missing shard.
 */
export function orderIdParam(text: string): string {
  return parseOrderId(text).toString();
}

/** A reverse request id is issued like an order id, on its order's shard, and routes the same way. */
export function reverseRequestIdParam(text: string): string {
  try {
    return parseOrderId(text).toString();
  } catch {
    throw new DomainError(
      DomainErrorCode.InvalidId,
      'reverse request id must be a decimal string of a positive 64-bit integer',
    );
  }
}
