import { Order, OrderEventPayload, OrderLine } from '@eos/domain';

/**
 * The whole checkout write as ONE statement: idempotency key, order, lines, first history entry
 * and outbox row. A single statement is a single transaction and a single round trip; every part
 * hangs off the idempotency insert, so a repeated key writes nothing at all. The benchmark's
 * ceiling issues exactly this text straight from pg.
 */
export function checkoutStatement(schema: string): string {
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
    $13::bigint, $14::text, $15::jsonb, $16::text, 1, $5::timestamptz, $5::timestamptz, $17::timestamptz
  FROM idem
  RETURNING id
), lines AS (
  INSERT INTO ${schema}.order_items (order_id, line_no, item_id, name, unit_price_cents, quantity, line_total_cents)
  SELECT created.id, l.line_no, l.item_id, l.name, l.unit_price_cents, l.quantity, l.line_total_cents
  FROM created, jsonb_to_recordset($18::jsonb) AS l(line_no smallint, item_id bigint, name text,
    unit_price_cents bigint, quantity integer, line_total_cents bigint)
), history AS (
  INSERT INTO ${schema}.order_status_history (order_id, version, from_status, to_status, actor, at)
  SELECT id, 1, NULL, $8::text, 'customer', $5::timestamptz FROM created
), outbox AS (
  INSERT INTO ${schema}.outbox (order_id, event_type, order_version, payload, created_at, trace_context)
  SELECT id, $19::text, 1, $20::jsonb, $5::timestamptz, $21::text FROM created
)
SELECT id::text AS order_id FROM created`;
}

const statements = new Map<string, string>();

/** The checkout statement of one schema, built once. */
export function checkoutStatementText(schema: string): string {
  let text = statements.get(schema);
  if (!text) {
    text = checkoutStatement(schema);
    statements.set(schema, text);
  }
  return text;
}

/** The name it is prepared under on each connection (see checkout-warm-up.ts). */
export function checkoutStatementName(schema: string): string {
  return `eos_checkout_${schema}`;
}

/**
 * The checkout as a named prepared statement for one schema: each connection parses and plans it
 * once per schema instead of on every checkout. The benchmark's ceiling sends this same config.
 */
export function checkoutQuery(
  schema: string,
  write: CheckoutWrite,
  traceContext: string | null = null,
): { name: string; text: string; values: unknown[] } {
  return {
    name: checkoutStatementName(schema),
    text: checkoutStatementText(schema),
    values: checkoutParams(write, traceContext),
  };
}

export interface CheckoutWrite {
  readonly order: Order;
  readonly idempotencyKey: string;
  readonly requestHash: string;
  readonly eventType: string;
  readonly eventPayload: OrderEventPayload;
}

/**
 * The statement's parameters. `traceContext` is the checkout's `traceparent` for the outbox row
 * (null while tracing is off: the same statement, one more null parameter, nothing else).
 */
export function checkoutParams(write: CheckoutWrite, traceContext: string | null = null): unknown[] {
  const { order } = write;
  const lines = orderItemRecords(order.items);
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
    JSON.stringify(order.address),
    order.note,
    order.paymentDeadline.toISOString(),
    JSON.stringify(lines),
    write.eventType,
    JSON.stringify(write.eventPayload),
    traceContext,
  ];
}

/** An order's lines as `order_items` records (numbered from 1), for `jsonb_to_recordset`. */
export function orderItemRecords(items: readonly OrderLine[]): {
  line_no: number;
  item_id: string;
  name: string;
  unit_price_cents: number;
  quantity: number;
  line_total_cents: number;
}[] {
  return items.map((line, index) => ({
    line_no: index + 1,
    item_id: line.itemId,
    name: line.name,
    unit_price_cents: line.unitPriceCents,
    quantity: line.quantity,
    line_total_cents: line.lineTotalCents,
  }));
}
