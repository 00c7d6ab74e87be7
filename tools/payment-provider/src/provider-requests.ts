import type { FailureMode, RefundCall } from './refund-ledger';

/** What a control call asks: the next `count` refund calls for the order fail in `mode`. */
export interface FailureInjection {
  readonly orderId: string;
  readonly count: number;
  readonly mode: FailureMode;
}

/** A request body the provider refuses (400), with the reason. */
export class MalformedRequest extends Error {}

const DECIMAL_ID = /^[1-9][0-9]{0,18}$/;
const CURRENCY = /^[A-Z]{3}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const MAX_INJECTED_FAILURES = 1000;

function fieldsOf(raw: Buffer, allowed: readonly string[]): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new MalformedRequest('the body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new MalformedRequest('the body must be a JSON object');
  }
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw new MalformedRequest(`unknown fields: ${unknown.join(', ')}`);
  return body as Record<string, unknown>;
}

function decimalId(fields: Record<string, unknown>, name: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || !DECIMAL_ID.test(value)) {
    throw new MalformedRequest(`${name} must be a positive integer as a decimal string`);
  }
  return value;
}

export function parseIdempotencyKey(header: unknown): string {
  if (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header)) {
    throw new MalformedRequest('Idempotency-Key must be 1 to 255 printable characters');
  }
  return header;
}

/** The body of `POST /v1/refunds`: `{ refundId, orderId, amountCents, currency }`, nothing else. */
export function parseRefundCall(raw: Buffer): RefundCall {
  const fields = fieldsOf(raw, ['refundId', 'orderId', 'amountCents', 'currency']);
  const amountCents = fields.amountCents;
  if (!Number.isSafeInteger(amountCents) || (amountCents as number) < 1) {
    throw new MalformedRequest('amountCents must be a positive integer of cents');
  }
  const currency = fields.currency;
  if (typeof currency !== 'string' || !CURRENCY.test(currency)) {
    throw new MalformedRequest('currency must be an ISO 4217 code such as CNY');
  }
  return {
    refundId: decimalId(fields, 'refundId'),
    orderId: decimalId(fields, 'orderId'),
    amountCents: amountCents as number,
    currency,
  };
}

/** The body of `POST /control/failures`: `{ orderId, count, mode }`. */
export function parseFailureInjection(raw: Buffer): FailureInjection {
  const fields = fieldsOf(raw, ['orderId', 'count', 'mode']);
  const count = fields.count;
  if (!Number.isSafeInteger(count) || (count as number) < 0 || (count as number) > MAX_INJECTED_FAILURES) {
    throw new MalformedRequest(`count must be an integer from 0 to ${MAX_INJECTED_FAILURES}`);
  }
  const mode = fields.mode;
  if (mode !== 'error' && mode !== 'timeout') throw new MalformedRequest('mode must be "error" or "timeout"');
  return { orderId: decimalId(fields, 'orderId'), count: count as number, mode };
}

/** The `orderId` query parameter of `GET /control/refunds`. */
export function parseOrderIdQuery(value: string | null): string {
  if (value === null || !DECIMAL_ID.test(value)) {
    throw new MalformedRequest('orderId must be a positive integer as a decimal string');
  }
  return value;
}
