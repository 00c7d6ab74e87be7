/**
 * One merchant-dimension shard: a read model of the orders of its merchants, kept from order
 * events. `version` lets the projector apply only newer changes.
 */
export function merchantShardDdl(schema: string): string {
  return `
CREATE SCHEMA IF NOT EXISTS ${schema};
CREATE TABLE IF NOT EXISTS ${schema}.merchant_orders (
  order_id    bigint PRIMARY KEY,
  merchant_id bigint NOT NULL,
  user_id     bigint NOT NULL,
  kind        text NOT NULL,
  status      text NOT NULL,
  total_cents bigint NOT NULL,
  currency    text NOT NULL,
  version     integer NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS merchant_orders_newest_idx ON ${schema}.merchant_orders (merchant_id, order_id DESC);
CREATE INDEX IF NOT EXISTS merchant_orders_status_idx ON ${schema}.merchant_orders (merchant_id, status, order_id DESC);
`;
}

export function dropMerchantShardDdl(schema: string): string {
  return `DROP SCHEMA IF EXISTS ${schema} CASCADE;`;
}
