/**
 * The reverse flow on an order's user shard, owned by reverse-order: reverse requests, refunds and
 * the audit trail of staff actions, beside the order they concern so that a request, the order's
 * status change and the audit entry commit together. The schema name always comes from the router.
 *
 * Money guard: `orders.paid_cents` counts every successful payment the order received (a trigger
 * on payment_notifications keeps it, whichever statement records the payment), and
 * `orders.refunded_cents` counts money promised back (reserved when a refund request is made,
 * released when it is rejected). The CHECK makes refunding more than was paid impossible in the
 * database, whatever the code above it does. `order_items.refunded_quantity` does the same per line.
 */
export function reverseFlowDdl(schema: string): string {
  return `
ALTER TABLE ${schema}.orders
  ADD COLUMN IF NOT EXISTS paid_cents bigint NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS refunded_cents bigint NOT NULL DEFAULT 0;
ALTER TABLE ${schema}.orders DROP CONSTRAINT IF EXISTS orders_refund_within_paid;
ALTER TABLE ${schema}.orders ADD CONSTRAINT orders_refund_within_paid
  CHECK (refunded_cents >= 0 AND refunded_cents <= paid_cents);
ALTER TABLE ${schema}.order_items ADD COLUMN IF NOT EXISTS refunded_quantity integer NOT NULL DEFAULT 0;
ALTER TABLE ${schema}.order_items DROP CONSTRAINT IF EXISTS order_items_refund_within_quantity;
ALTER TABLE ${schema}.order_items ADD CONSTRAINT order_items_refund_within_quantity
  CHECK (refunded_quantity >= 0 AND refunded_quantity <= quantity);

CREATE OR REPLACE FUNCTION ${schema}.count_payment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'SUCCEEDED' AND NEW.outcome IN ('APPLIED', 'REFUND_DUE') THEN
    UPDATE ${schema}.orders SET paid_cents = paid_cents + NEW.amount_cents WHERE id = NEW.order_id;
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS payment_counted ON ${schema}.payment_notifications;
CREATE TRIGGER payment_counted AFTER INSERT ON ${schema}.payment_notifications
  FOR EACH ROW EXECUTE FUNCTION ${schema}.count_payment();
UPDATE ${schema}.orders o SET paid_cents = p.paid
  FROM (SELECT order_id, sum(amount_cents) AS paid FROM ${schema}.payment_notifications
        WHERE status = 'SUCCEEDED' AND outcome IN ('APPLIED', 'REFUND_DUE') GROUP BY order_id) p
  WHERE p.order_id = o.id AND o.paid_cents <> p.paid;

-- Who bears a refund that became due on the forward side; null: the rule for its reason decides.
ALTER TABLE ${schema}.refunds_due ADD COLUMN IF NOT EXISTS bearer text;

CREATE TABLE IF NOT EXISTS ${schema}.reverse_requests (
  id               bigint PRIMARY KEY,
  order_id         bigint NOT NULL REFERENCES ${schema}.orders (id),
  user_id          bigint NOT NULL,
  merchant_id      bigint NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('CANCELLATION', 'REFUND')),
  status           text NOT NULL CHECK (status IN
                     ('AWAITING_MERCHANT', 'AWAITING_STAFF', 'AWAITING_SECOND_APPROVAL', 'APPROVED', 'REJECTED')),
  reason           text NOT NULL,
  -- Refund requests: the money and units reserved on the order; cancellations: 0 and '[]'.
  amount_cents     bigint NOT NULL CHECK (amount_cents >= 0),
  currency         text NOT NULL,
  lines            jsonb NOT NULL DEFAULT '[]',
  -- 'customer:<userId>' or 'staff:<staffId>'.
  requested_by     text NOT NULL,
  first_approver   bigint,
  decided_by       text,
  decision_reason  text,
  bearer           text CHECK (bearer IN ('MERCHANT', 'PLATFORM', 'DELIVERY_PARTNER')),
  merchant_deadline timestamptz,
  version          integer NOT NULL CHECK (version > 0),
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS reverse_requests_order_idx ON ${schema}.reverse_requests (order_id, id);
CREATE INDEX IF NOT EXISTS reverse_requests_merchant_due_idx ON ${schema}.reverse_requests (merchant_deadline)
  WHERE status = 'AWAITING_MERCHANT';
CREATE INDEX IF NOT EXISTS reverse_requests_staff_queue_idx ON ${schema}.reverse_requests (created_at)
  WHERE status IN ('AWAITING_STAFF', 'AWAITING_SECOND_APPROVAL');
-- At most one open cancellation request per order.
CREATE UNIQUE INDEX IF NOT EXISTS reverse_requests_one_open_cancellation_idx ON ${schema}.reverse_requests (order_id)
  WHERE kind = 'CANCELLATION' AND status IN ('AWAITING_MERCHANT', 'AWAITING_STAFF', 'AWAITING_SECOND_APPROVAL');

CREATE TABLE IF NOT EXISTS ${schema}.refunds (
  id                 bigint PRIMARY KEY,
  order_id           bigint NOT NULL REFERENCES ${schema}.orders (id),
  -- Exactly one source: an approved refund request, or a refund that became due on the forward side.
  reverse_request_id bigint UNIQUE REFERENCES ${schema}.reverse_requests (id),
  refund_due_id      bigint UNIQUE REFERENCES ${schema}.refunds_due (id),
  CHECK (num_nonnulls(reverse_request_id, refund_due_id) = 1),
  amount_cents       bigint NOT NULL CHECK (amount_cents > 0),
  currency           text NOT NULL,
  bearer             text NOT NULL CHECK (bearer IN ('MERCHANT', 'PLATFORM', 'DELIVERY_PARTNER')),
  reason             text NOT NULL,
  status             text NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
  attempts           integer NOT NULL DEFAULT 0,
  next_attempt_at    timestamptz,
  last_error         text,
  provider_refund_id text,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  completed_at       timestamptz
);
CREATE INDEX IF NOT EXISTS refunds_order_idx ON ${schema}.refunds (order_id);
CREATE INDEX IF NOT EXISTS refunds_pending_idx ON ${schema}.refunds (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX IF NOT EXISTS refunds_failed_idx ON ${schema}.refunds (updated_at) WHERE status = 'FAILED';

-- Append-only: who did what to which order, when, with the state before and after and why.
CREATE TABLE IF NOT EXISTS ${schema}.audit_log (
  id        bigserial PRIMARY KEY,
  order_id  bigint NOT NULL,
  staff_id  bigint NOT NULL,
  action    text NOT NULL,
  target    text NOT NULL,
  before    jsonb,
  after     jsonb,
  reason    text,
  at        timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_order_idx ON ${schema}.audit_log (order_id, id);
CREATE INDEX IF NOT EXISTS audit_log_staff_idx ON ${schema}.audit_log (staff_id, id DESC);
CREATE OR REPLACE FUNCTION ${schema}.audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
DROP TRIGGER IF EXISTS audit_log_append_only ON ${schema}.audit_log;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${schema}.audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.audit_log_append_only();
`;
}

export function dropReverseFlowDdl(schema: string): string {
  return `
DROP TABLE IF EXISTS ${schema}.audit_log;
DROP FUNCTION IF EXISTS ${schema}.audit_log_append_only();
DROP TABLE IF EXISTS ${schema}.refunds;
DROP TABLE IF EXISTS ${schema}.reverse_requests;
ALTER TABLE ${schema}.refunds_due DROP COLUMN IF EXISTS bearer;
DROP TRIGGER IF EXISTS payment_counted ON ${schema}.payment_notifications;
DROP FUNCTION IF EXISTS ${schema}.count_payment();
ALTER TABLE ${schema}.order_items DROP CONSTRAINT IF EXISTS order_items_refund_within_quantity;
ALTER TABLE ${schema}.order_items DROP COLUMN IF EXISTS refunded_quantity;
ALTER TABLE ${schema}.orders DROP CONSTRAINT IF EXISTS orders_refund_within_paid;
ALTER TABLE ${schema}.orders DROP COLUMN IF EXISTS paid_cents, DROP COLUMN IF EXISTS refunded_cents;
`;
}
