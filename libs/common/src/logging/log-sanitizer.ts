/**
 * What may never reach a log line: credentials (by the name of the header or field holding them)
 * and card numbers (by their shape, wherever they appear in text). Applied to every log line's
 * fields and message by the app logger, so a careless `logger.warn(body)` leaks nothing either.
 */

export const REDACTED = '[redacted]';

/** Headers whose whole value is a credential. */
const SECRET_NAMES = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'eos-signature',
  'provider-signature',
  'x-eos-partner-secret',
]);

/** Any field whose name says it holds a credential: accessToken, client_secret, password... */
const SECRET_NAME_PARTS = /token|secret|passw(?:or)?d|api[-_]?key|credential|signature/i;

/**
 * Fields that hold ids by contract (decimal strings up to 19 digits, as long as a card number):
 * their value is kept as it is, so that logs can be searched by order, user or staff.
 */
const ID_FIELDS = new Set([
  'reqId',
  'orderId',
  'userId',
  'staffId',
  'merchantId',
  'eventId',
  'refundId',
  'notificationId',
  'traceId',
  'spanId',
]);

/** A run of 13 to 19 digits, possibly grouped by single spaces or dashes, not part of a longer run. */
const DIGIT_RUN = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g;

const MAX_DEPTH = 8;

export function isSecretField(name: string): boolean {
  return SECRET_NAMES.has(name.toLowerCase()) || SECRET_NAME_PARTS.test(name);
}

/** The Luhn checksum every card number satisfies (and 9 in 10 other digit strings do not). */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * Masks card-like numbers in free text, keeping the last four digits (`****1111`). Card-like: 13
 * to 19 digits that pass the Luhn check, or that are grouped by spaces or dashes as cards are
 * written. Ids (order ids are 18 or 19 digits) are neither grouped nor, mostly, Luhn-valid, so
 * messages keep them; the few that pass the check are masked too, which costs less than a leak.
 */
export function scrubCardNumbers(text: string): string {
  if (text.length < 13) return text;
  return text.replace(DIGIT_RUN, (run) => {
    const digits = run.replace(/[ -]/g, '');
    const grouped = digits.length !== run.length;
    return grouped || passesLuhn(digits) ? `****${digits.slice(-4)}` : run;
  });
}

/** True when `text` holds something scrubCardNumbers would mask. */
export function containsCardNumber(text: string): boolean {
  return scrubCardNumbers(text) !== text;
}

/**
 * A copy of `value` fit for a log line: credential fields redacted, card-like numbers masked in
 * every string (and in integers long enough to be one), errors reduced to type, message and stack.
 * `name` is the field holding the value, if any.
 */
export function sanitizeForLog(value: unknown, name?: string, depth = 0): unknown {
  if (value === null || value === undefined) return value;
  if (name !== undefined && isSecretField(name)) return REDACTED;
  switch (typeof value) {
    case 'string':
      return name !== undefined && ID_FIELDS.has(name) ? value : scrubCardNumbers(value);
    case 'number':
    case 'bigint': {
      if (name !== undefined && ID_FIELDS.has(name)) return value;
      const text = String(value);
      const scrubbed = scrubCardNumbers(text);
      return scrubbed === text ? value : scrubbed;
    }
    case 'object':
      break;
    case 'boolean':
    case 'undefined':
    case 'symbol':
    case 'function':
      return value;
  }
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (value instanceof Error) {
    return {
      type: value.name,
      message: scrubCardNumbers(value.message),
      stack: value.stack === undefined ? undefined : scrubCardNumbers(value.stack),
      code: sanitizeForLog((value as { code?: unknown }).code, 'code', depth + 1),
    };
  }
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((item) => sanitizeForLog(item, undefined, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) copy[key] = sanitizeForLog(field, key, depth + 1);
  return copy;
}

/** The fields of one log line, sanitized (pino's `formatters.log`). */
export function sanitizeLogFields(fields: Record<string, unknown>): Record<string, unknown> {
  return sanitizeForLog(fields, undefined, 0) as Record<string, unknown>;
}
