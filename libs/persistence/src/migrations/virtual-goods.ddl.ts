/**
 * Virtual goods on an order's user shard. The core of a virtual order is the `orders` row every
 * kind shares (ids, routing, idempotency, payment, outbox and merchant projection unchanged); what
 * only virtual orders have lives beside it: the extension row (business line, lines, promotions,
 * line data as JSONB validated by the line's schema of `schema_version`), and the goods fulfilment
 * issued: vouchers and membership periods. The schema name always comes from the router.
 */
export function virtualGoodsDdl(schema: string): string {
  return `
-- Virtual orders deliver nothing: no address. Delivery orders still must have one.
ALTER TABLE ${schema}.orders ALTER COLUMN address DROP NOT NULL;
ALTER TABLE ${schema}.orders DROP CONSTRAINT IF EXISTS orders_delivery_has_address;
ALTER TABLE ${schema}.orders ADD CONSTRAINT orders_delivery_has_address
  CHECK (kind <> 'DELIVERY' OR address IS NOT NULL);
-- The fulfilment backstop and the completion of virtual orders scan only their own statuses.
CREATE INDEX IF NOT EXISTS orders_virtual_paid_idx ON ${schema}.orders (paid_at)
  WHERE status = 'PAID' AND kind = 'VIRTUAL';
CREATE INDEX IF NOT EXISTS orders_fulfilled_idx ON ${schema}.orders (updated_at) WHERE status = 'FULFILLED';

CREATE TABLE IF NOT EXISTS ${schema}.virtual_order_details (
  order_id       bigint PRIMARY KEY REFERENCES ${schema}.orders (id),
  business_line  text NOT NULL,
  schema_version integer NOT NULL CHECK (schema_version > 0),
  items          jsonb NOT NULL,
  promotions     jsonb NOT NULL DEFAULT '[]',
  details        jsonb NOT NULL,
  -- What the line's handler issued (a voucher code, a period), written with the FULFIL transition.
  fulfilment     jsonb,
  fulfilled_at   timestamptz
);

CREATE TABLE IF NOT EXISTS ${schema}.vouchers (
  -- '<order id>-<secret>': the code routes to this shard by the order id it embeds.
  code          text PRIMARY KEY,
  order_id      bigint NOT NULL UNIQUE REFERENCES ${schema}.orders (id),
  user_id       bigint NOT NULL,
  business_line text NOT NULL,
  status        text NOT NULL CHECK (status IN ('ISSUED', 'REDEEMED', 'VOIDED')),
  issued_at     timestamptz NOT NULL,
  redeemed_at   timestamptz,
  voided_at     timestamptz,
  CHECK ((status = 'REDEEMED') = (redeemed_at IS NOT NULL)),
  CHECK ((status = 'VOIDED') = (voided_at IS NOT NULL))
);

-- One row per member and line: where their membership currently ends. Its row lock serialises
-- two purchases of the same member, so their periods chain instead of overlapping.
CREATE TABLE IF NOT EXISTS ${schema}.memberships (
  user_id       bigint NOT NULL,
  business_line text NOT NULL,
  ends_at       timestamptz,
  updated_at    timestamptz NOT NULL,
  PRIMARY KEY (user_id, business_line)
);

CREATE TABLE IF NOT EXISTS ${schema}.membership_periods (
  order_id      bigint PRIMARY KEY REFERENCES ${schema}.orders (id),
  user_id       bigint NOT NULL,
  business_line text NOT NULL,
  plan          text NOT NULL,
  starts_at     timestamptz NOT NULL,
  ends_at       timestamptz NOT NULL CHECK (ends_at > starts_at),
  cancelled_at  timestamptz,
  created_at    timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS membership_periods_user_idx
  ON ${schema}.membership_periods (user_id, business_line, starts_at);
`;
}

/**
 * Drops the virtual goods. Making the address required again fails while virtual orders exist:
 * by design, since it would need their orders deleted.
 */
export function dropVirtualGoodsDdl(schema: string): string {
  return `
DROP TABLE IF EXISTS ${schema}.membership_periods;
DROP TABLE IF EXISTS ${schema}.memberships;
DROP TABLE IF EXISTS ${schema}.vouchers;
DROP TABLE IF EXISTS ${schema}.virtual_order_details;
DROP INDEX IF EXISTS ${schema}.orders_fulfilled_idx;
DROP INDEX IF EXISTS ${schema}.orders_virtual_paid_idx;
ALTER TABLE ${schema}.orders DROP CONSTRAINT IF EXISTS orders_delivery_has_address;
ALTER TABLE ${schema}.orders ALTER COLUMN address SET NOT NULL;
`;
}
