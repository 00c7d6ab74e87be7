/**
 * The forward life of an order on its user shard: when it was paid, delivered and completed (the
 * sweeps and settlement read these), the provider's payment notifications, refunds that became
 * due, and the fencing tokens of sweeps. The schema name always comes from the shard router.
 */
export function orderLifeDdl(schema: string): string {
  return `
ALTER TABLE ${schema}.orders
  ADD COLUMN IF NOT EXISTS paid_at timestamptz,
  ADD COLUMN IF NOT EXISTS delivered_at timestamptz,
  ADD COLUMN IF NOT EXISTS completed_at timestamptz,
  ADD COLUMN IF NOT EXISTS open_reverse_requests integer NOT NULL DEFAULT 0;
-- Partial indexes: each sweep scans only the orders still waiting in its status, oldest first.
CREATE INDEX IF NOT EXISTS orders_payment_due_idx ON ${schema}.orders (payment_deadline) WHERE status = 'CREATED';
CREATE INDEX IF NOT EXISTS orders_acceptance_due_idx ON ${schema}.orders (paid_at) WHERE status = 'PAID';
CREATE INDEX IF NOT EXISTS orders_after_sale_due_idx ON ${schema}.orders (delivered_at) WHERE status = 'DELIVERED';
CREATE INDEX IF NOT EXISTS orders_completed_day_idx ON ${schema}.orders (completed_at) WHERE status = 'COMPLETED';
CREATE TABLE IF NOT EXISTS ${schema}.payment_notifications (
  notification_id text PRIMARY KEY,
  order_id        bigint NOT NULL REFERENCES ${schema}.orders (id),
  amount_cents    bigint NOT NULL CHECK (amount_cents >= 0),
  status          text NOT NULL,
  paid_at         timestamptz,
  received_at     timestamptz NOT NULL,
  outcome         text NOT NULL
);
CREATE INDEX IF NOT EXISTS payment_notifications_order_idx ON ${schema}.payment_notifications (order_id);
CREATE TABLE IF NOT EXISTS ${schema}.refunds_due (
  id              bigserial PRIMARY KEY,
  order_id        bigint NOT NULL REFERENCES ${schema}.orders (id),
  notification_id text,
  reason          text NOT NULL,
  amount_cents    bigint NOT NULL CHECK (amount_cents >= 0),
  currency        text NOT NULL,
  created_at      timestamptz NOT NULL,
  refunded_at     timestamptz
);
-- One refund per payment of an order: a retried write can never mark the same money twice.
CREATE UNIQUE INDEX IF NOT EXISTS refunds_due_payment_idx ON ${schema}.refunds_due (order_id, COALESCE(notification_id, ''));
CREATE INDEX IF NOT EXISTS refunds_due_open_idx ON ${schema}.refunds_due (created_at) WHERE refunded_at IS NULL;
CREATE TABLE IF NOT EXISTS ${schema}.sweep_fences (
  name  text PRIMARY KEY,
  token bigint NOT NULL
);
`;
}

export function dropOrderLifeDdl(schema: string): string {
  return `
DROP TABLE IF EXISTS ${schema}.sweep_fences;
DROP TABLE IF EXISTS ${schema}.refunds_due;
DROP TABLE IF EXISTS ${schema}.payment_notifications;
DROP INDEX IF EXISTS ${schema}.orders_payment_due_idx;
DROP INDEX IF EXISTS ${schema}.orders_acceptance_due_idx;
DROP INDEX IF EXISTS ${schema}.orders_after_sale_due_idx;
DROP INDEX IF EXISTS ${schema}.orders_completed_day_idx;
ALTER TABLE ${schema}.orders
  DROP COLUMN IF EXISTS paid_at,
  DROP COLUMN IF EXISTS delivered_at,
  DROP COLUMN IF EXISTS completed_at,
  DROP COLUMN IF EXISTS open_reverse_requests;
`;
}
