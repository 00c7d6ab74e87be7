/**
 * The tables of one user-dimension shard: the source of truth for its users' orders. The schema
 * name always comes from the shard router, never from input.
 */
export function userShardDdl(schema: string): string {
  return `
CREATE SCHEMA IF NOT EXISTS ${schema};
CREATE TABLE IF NOT EXISTS ${schema}.orders (
  id                  bigint PRIMARY KEY,
  user_id             bigint NOT NULL,
  merchant_id         bigint NOT NULL,
  kind                text NOT NULL,
  status              text NOT NULL,
  subtotal_cents      bigint NOT NULL CHECK (subtotal_cents >= 0),
  packaging_fee_cents bigint NOT NULL CHECK (packaging_fee_cents >= 0),
  delivery_fee_cents  bigint NOT NULL CHECK (delivery_fee_cents >= 0),
  discount_cents      bigint NOT NULL CHECK (discount_cents >= 0),
  total_cents         bigint NOT NULL CHECK (total_cents >= 0),
  currency            text NOT NULL,
  address             jsonb NOT NULL,
  note                text,
  version             integer NOT NULL CHECK (version > 0),
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  payment_deadline    timestamptz
);
CREATE INDEX IF NOT EXISTS orders_user_newest_idx ON ${schema}.orders (user_id, id DESC);
CREATE INDEX IF NOT EXISTS orders_user_status_newest_idx ON ${schema}.orders (user_id, status, id DESC);
CREATE TABLE IF NOT EXISTS ${schema}.order_items (
  order_id         bigint NOT NULL REFERENCES ${schema}.orders (id),
  line_no          smallint NOT NULL,
  item_id          bigint NOT NULL,
  name             text NOT NULL,
  unit_price_cents bigint NOT NULL CHECK (unit_price_cents >= 0),
  quantity         integer NOT NULL CHECK (quantity BETWEEN 1 AND 99),
  line_total_cents bigint NOT NULL CHECK (line_total_cents >= 0),
  PRIMARY KEY (order_id, line_no)
);
CREATE TABLE IF NOT EXISTS ${schema}.order_status_history (
  order_id    bigint NOT NULL REFERENCES ${schema}.orders (id),
  version     integer NOT NULL,
  from_status text,
  to_status   text NOT NULL,
  actor       text NOT NULL,
  reason      text,
  at          timestamptz NOT NULL,
  PRIMARY KEY (order_id, version)
);
CREATE TABLE IF NOT EXISTS ${schema}.outbox (
  id            bigserial PRIMARY KEY,
  event_id      uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  order_id      bigint NOT NULL,
  event_type    text NOT NULL,
  order_version integer NOT NULL,
  payload       jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  published_at  timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_unpublished_idx ON ${schema}.outbox (id) WHERE published_at IS NULL;
CREATE TABLE IF NOT EXISTS ${schema}.idempotency_keys (
  user_id      bigint NOT NULL,
  key          text NOT NULL,
  request_hash text NOT NULL,
  order_id     bigint NOT NULL,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (user_id, key)
);
`;
}

export function dropUserShardDdl(schema: string): string {
  return `DROP SCHEMA IF EXISTS ${schema} CASCADE;`;
}
