import { OrderEventPayload, VirtualOrder } from '@eos/domain';

/**
 * Creating a virtual order as ONE statement, like the delivery checkout: idempotency key, core
 * order row, extension row, first history entry and outbox row, all hanging off the idempotency
 * insert, so a repeated key writes nothing at all. One statement is one transaction and one
 * round trip; the benchmark compares it with the delivery checkout.
 */
export function virtualCheckoutStatement(schema: string): string {
  return `WITH idem AS (
  INSERT INTO ${schema}.idempotency_keys (user_id, key, request_hash, order_id, created_at)
  VALUES ($1::bigint, $2::text, $3::text, $4::bigint, $5::timestamptz)
  ON CONFLICT (user_id, key) DO NOTHING
  RETURNING order_id
), created AS (
  INSERT INTO ${schema}.orders (id, user_id, merchant_id, kind, status, subtotal_cents, packaging_fee_cents,
    delivery_fee_cents, discount_cents, total_cents, currency, address, note, version, created_at, updated_at,
    payment_deadline)
  SELECT order_id, $1::bigint, $6::bigint, $7::text, $8::text, $9::bigint, $10::bigint, $11::bigint, $12::bigint,
    $13::bigint, $14::text, NULL, NULL, 1, $5::timestamptz, $5::timestamptz, $15::timestamptz
  FROM idem
  RETURNING id
), extension AS (
  INSERT INTO ${schema}.virtual_order_details (order_id, business_line, schema_version, items, promotions, details)
  SELECT id, $16::text, $17::integer, $18::jsonb, $19::jsonb, $20::jsonb FROM created
), history AS (
  INSERT INTO ${schema}.order_status_history (order_id, version, from_status, to_status, actor, at)
  SELECT id, 1, NULL, $8::text, 'customer', $5::timestamptz FROM created
), outbox AS (
  INSERT INTO ${schema}.outbox (order_id, event_type, order_version, payload, created_at)
  SELECT id, $21::text, 1, $22::jsonb, $5::timestamptz FROM created
)
SELECT id::text AS order_id FROM created`;
}

export interface VirtualCheckoutWrite {
  readonly virtualOrder: VirtualOrder;
  readonly idempotencyKey: string;
  readonly requestHash: string;
  readonly eventType: string;
  readonly eventPayload: OrderEventPayload;
}

const statements = new Map<string, string>();

/** The statement as a named prepared statement per schema: parsed and planned once per connection. */
export function virtualCheckoutQuery(
  schema: string,
  write: VirtualCheckoutWrite,
): { name: string; text: string; values: unknown[] } {
  let text = statements.get(schema);
  if (!text) {
    text = virtualCheckoutStatement(schema);
    statements.set(schema, text);
  }
  return { name: `eos_virtual_checkout_${schema}`, text, values: virtualCheckoutParams(write) };
}

export function virtualCheckoutParams(write: VirtualCheckoutWrite): unknown[] {
  const { order, extension } = write.virtualOrder;
  return [
    order.userId,
    write.idempotencyKey,
    write.requestHash,
    order.id,
    order.createdAt.toISOString(),
    order.merchantId,
    order.kind,
    order.status,
    order.subtotalCents,
    order.packagingFeeCents,
    order.deliveryFeeCents,
    order.discountCents,
    order.totalCents,
    order.currency,
    order.paymentDeadline.toISOString(),
    extension.businessLine,
    extension.schemaVersion,
    JSON.stringify(extension.items),
    JSON.stringify(extension.promotions),
    JSON.stringify(extension.details),
    write.eventType,
    JSON.stringify(write.eventPayload),
  ];
}
