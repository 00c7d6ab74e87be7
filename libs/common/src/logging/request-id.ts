import { randomUUID } from 'node:crypto';
import { containsCardNumber } from './log-sanitizer';

export const REQUEST_ID_HEADER = 'x-request-id';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The id of a request: the caller's `X-Request-Id` when it is a plain token (8 to 128 letters,
 * digits, `.`, `_`, `:` or `-`) so that a trace across services keeps one id; anything else (absent,
 * too long, odd characters that could forge log lines, a card number) is replaced by a fresh UUID.
 */
export function requestIdOf(header: unknown): string {
  const value = Array.isArray(header) ? (header as unknown[])[0] : header;
  if (typeof value === 'string' && SAFE_REQUEST_ID.test(value) && !containsCardNumber(value)) return value;
  return randomUUID();
}
