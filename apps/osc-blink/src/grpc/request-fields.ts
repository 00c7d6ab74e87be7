import { DomainError, DomainErrorCode, ORDER_STATUSES, OrderStatus } from '@eos/domain';
import { MAX_INT64, parseEntityId, parseOrderId } from '@eos/sharding';
import { ProtoEnum } from './blink.messages';

/*
 * Checks of decoded request fields. proto3 cannot say "required", and decoding accepts any string
 * or any enum number, so every field the bridge uses is checked here and refused with
 * INVALID_ARGUMENT (VALIDATION_FAILED or INVALID_ID) before anything is read or written.
 */

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

const STATUS_PREFIX = 'ORDER_STATUS_';
const CURSOR = /^(0|[1-9][0-9]{0,18})$/;

function invalid(message: string, field: string): DomainError {
  return new DomainError(DomainErrorCode.ValidationFailed, message, { field });
}

/** A required order id: a decimal positive int64 whose shard gene names a shard. */
export function orderIdField(value: string): string {
  if (value === '') throw invalid('order_id is required', 'order_id');
  return parseOrderId(value).toString();
}

/** An optional merchant id ("" when absent). */
export function optionalMerchantId(value: string): string | undefined {
  return value === '' ? undefined : parseEntityId(value, 'merchant_id').toString();
}

export function pageLimit(value: number, field = 'limit'): number {
  if (value === 0) return DEFAULT_PAGE;
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE) {
    throw invalid(`${field} must be from 1 to ${MAX_PAGE} (0 for ${DEFAULT_PAGE})`, field);
  }
  return value;
}

/** A page token is the last order id of the previous page. */
export function pageToken(value: string, field = 'page_token'): string | undefined {
  if (value === '') return undefined;
  try {
    return parseOrderId(value).toString();
  } catch {
    throw invalid(`${field} must be a next_page_token from a previous page`, field);
  }
}

/** A feed position: "" for none, otherwise a decimal number from 0. */
export function feedCursor(value: string): string | undefined {
  if (value === '') return undefined;
  if (!CURSOR.test(value) || BigInt(value) > MAX_INT64) {
    throw invalid('cursor must be the cursor of an event received from the feed', 'cursor');
  }
  return value;
}

export function protoStatus(status: OrderStatus): string {
  return `${STATUS_PREFIX}${status}`;
}

/** An optional status filter; UNSPECIFIED means none. */
export function statusFilter(value: ProtoEnum, field = 'status'): OrderStatus | undefined {
  if (value === 0 || value === `${STATUS_PREFIX}UNSPECIFIED`) return undefined;
  const name =
    typeof value === 'string' && value.startsWith(STATUS_PREFIX) ? value.slice(STATUS_PREFIX.length) : '';
  const status = ORDER_STATUSES.find((candidate) => candidate === name);
  if (status === undefined) throw invalid(`${field} is not an order status`, field);
  return status;
}

/** A required value of an enum, given as `${prefix}${name}`; UNSPECIFIED and unknown numbers are refused. */
export function enumField<T extends string>(
  value: ProtoEnum,
  prefix: string,
  allowed: readonly T[],
  field: string,
): T {
  const name = typeof value === 'string' && value.startsWith(prefix) ? value.slice(prefix.length) : '';
  const found = allowed.find((candidate) => candidate === name);
  if (found === undefined) throw invalid(`${field} must be one of ${allowed.join(', ')}`, field);
  return found;
}

/**
 * Free text: trimmed, at most `max` characters, required unless `optional`. Null when empty and
 * optional. Postgres stores no U+0000 in text, so a NUL is refused here rather than failing the
 * write (which answered INTERNAL).
 */
export function textField(value: string, field: string, max: number, optional: boolean): string | null {
  const text = value.trim();
  if (text === '') {
    if (optional) return null;
    throw invalid(`${field} is required`, field);
  }
  if ([...text].length > max) throw invalid(`${field} is at most ${max} characters`, field);
  if (text.includes('\u0000')) throw invalid(`${field} must not contain a NUL character (U+0000)`, field);
  return text;
}
