import { ORDER_STATUSES, OrderEventPayload, OrderEventType, OrderStatus, isOrderStatus } from '@eos/domain';

/**
 * What every message on the order-events exchange carries, as its JSON body. The broker-level
 * properties repeat what routing and tracing need: messageId = eventId, type and routing key =
 * eventType, and the `x-eos-committed-at` header (see docs/asyncapi.yaml).
 */
export interface OrderEventEnvelope {
  /** Unique per event (the outbox row's event_id): consumers deduplicate on it. */
  readonly eventId: string;
  readonly orderId: string;
  readonly eventType: OrderEventType;
  /** The order's version after this change: consumers apply a change only when it is newer. */
  readonly orderVersion: number;
  /** When the change was written (ISO-8601 UTC). */
  readonly occurredAt: string;
  readonly payload: OrderEventPayload;
}

/** Header holding the time the outbox row was written; consumer lag is measured from it. */
export const COMMITTED_AT_HEADER = 'x-eos-committed-at';

export const ORDER_EVENT_TYPES: readonly OrderEventType[] = Object.values(OrderEventType);

export function isOrderEventType(value: unknown): value is OrderEventType {
  return typeof value === 'string' && (ORDER_EVENT_TYPES as readonly string[]).includes(value);
}

/** A message that can never be applied as it is: retrying cannot help, parking will. */
export class InvalidOrderEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidOrderEventError';
  }
}

const DECIMAL_ID = /^[1-9][0-9]{0,18}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refuse(what: string): never {
  throw new InvalidOrderEventError(`order event ${what}`);
}

function decimalId(fields: Fields, name: string, where: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || !DECIMAL_ID.test(value)) refuse(`${where}.${name} is not a decimal id`);
  return value;
}

function isoTime(fields: Fields, name: string, where: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) refuse(`${where}.${name} is not a time`);
  return value;
}

function positiveInt(fields: Fields, name: string, where: string): number {
  const value = fields[name];
  if (!Number.isSafeInteger(value) || (value as number) < 1)
    refuse(`${where}.${name} is not a positive integer`);
  return value as number;
}

function text(fields: Fields, name: string, where: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || value === '') refuse(`${where}.${name} is not a non-empty string`);
  return value;
}

function status(fields: Fields, name: string, where: string): OrderStatus {
  const value = fields[name];
  if (!isOrderStatus(value)) refuse(`${where}.${name} is not one of ${ORDER_STATUSES.join(', ')}`);
  return value;
}

function parsePayload(value: unknown): OrderEventPayload {
  if (!isObject(value)) refuse('payload is not an object');
  const where = 'payload';
  const totalCents = value.totalCents;
  if (!Number.isSafeInteger(totalCents) || (totalCents as number) < 0) {
    refuse('payload.totalCents is not a non-negative integer of cents');
  }
  const previous = value.previousStatus;
  return {
    orderId: decimalId(value, 'orderId', where),
    userId: decimalId(value, 'userId', where),
    merchantId: decimalId(value, 'merchantId', where),
    kind: text(value, 'kind', where),
    status: status(value, 'status', where),
    previousStatus: previous === null ? null : status(value, 'previousStatus', where),
    totalCents: totalCents as number,
    currency: text(value, 'currency', where),
    version: positiveInt(value, 'version', where),
    createdAt: isoTime(value, 'createdAt', where),
    updatedAt: isoTime(value, 'updatedAt', where),
  };
}

/**
 * Reads a message body into an envelope, checking every field a consumer relies on. Anything
 * malformed is an InvalidOrderEventError: the message is retried, then parked, never applied.
 */
export function parseOrderEventEnvelope(body: Buffer): OrderEventEnvelope {
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    refuse('body is not JSON');
  }
  if (!isObject(raw)) refuse('body is not a JSON object');
  const eventId = raw.eventId;
  if (typeof eventId !== 'string' || !UUID.test(eventId)) refuse('eventId is not a UUID');
  const eventType = raw.eventType;
  if (!isOrderEventType(eventType)) refuse(`type ${JSON.stringify(eventType)} is unknown`);
  const envelope: OrderEventEnvelope = {
    eventId,
    orderId: decimalId(raw, 'orderId', 'envelope'),
    eventType,
    orderVersion: positiveInt(raw, 'orderVersion', 'envelope'),
    occurredAt: isoTime(raw, 'occurredAt', 'envelope'),
    payload: parsePayload(raw.payload),
  };
  if (envelope.payload.orderId !== envelope.orderId || envelope.payload.version !== envelope.orderVersion) {
    refuse('envelope and payload disagree on the order or its version');
  }
  return envelope;
}
