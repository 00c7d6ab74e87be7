/** The channel on which a merchant shard announces, after commit, that a merchant's feed grew. */
export const MERCHANT_FEED_CHANNEL = 'eos_merchant_feed';

/**
 * The merchant feed of one merchant shard: a per-merchant change log of the merchant dimension,
 * appended by a trigger whenever the projector stores a newer version of an order in
 * merchant_orders, in the projector's own transaction.
 *
 * Why a per-merchant sequence taken from a head row: a feed read as "changes with seq > cursor"
 * skips a row whose transaction took its number early but committed late (the outbox hazard of
 * DESIGN.md). The head row of the merchant is locked by the appending transaction until it
 * commits, so the next append for the same merchant waits and numbers after it: per merchant,
 * sequence order is commit order, and the sequence has no holes (a rolled-back append rolls its
 * number back too). A reader that saw seq n has therefore seen everything up to n, and a resume
 * from n misses nothing and repeats nothing.
 *
 * Merchants see orders from payment on: an unpaid order, or one cancelled before it was paid, is
 * not logged. The NOTIFY is only a wake-up (delivered at commit, lost if nobody listens); readers
 * poll as a backstop.
 */
export function merchantFeedDdl(schema: string): string {
  return `
CREATE TABLE IF NOT EXISTS ${schema}.merchant_feed_heads (
  merchant_id bigint PRIMARY KEY,
  last_seq    bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS ${schema}.merchant_order_changes (
  merchant_id      bigint NOT NULL,
  seq              bigint NOT NULL,
  order_id         bigint NOT NULL,
  version          integer NOT NULL,
  status           text NOT NULL,
  previous_status  text,
  total_cents      bigint NOT NULL,
  currency         text NOT NULL,
  order_created_at timestamptz NOT NULL,
  changed_at       timestamptz NOT NULL,
  recorded_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (merchant_id, seq)
);
CREATE OR REPLACE FUNCTION ${schema}.append_merchant_order_change() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  previous text := NULL;
  next_seq bigint;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.version <= OLD.version THEN
      RETURN NULL;
    END IF;
    previous := OLD.status;
  END IF;
  IF NEW.status = 'CREATED' OR (NEW.status = 'CANCELLED' AND (previous IS NULL OR previous = 'CREATED')) THEN
    RETURN NULL;
  END IF;
  INSERT INTO ${schema}.merchant_feed_heads AS h (merchant_id, last_seq) VALUES (NEW.merchant_id, 1)
    ON CONFLICT (merchant_id) DO UPDATE SET last_seq = h.last_seq + 1
    RETURNING h.last_seq INTO next_seq;
  INSERT INTO ${schema}.merchant_order_changes (merchant_id, seq, order_id, version, status, previous_status,
      total_cents, currency, order_created_at, changed_at)
    VALUES (NEW.merchant_id, next_seq, NEW.order_id, NEW.version, NEW.status, previous,
      NEW.total_cents, NEW.currency, NEW.created_at, NEW.updated_at);
  PERFORM pg_notify('${MERCHANT_FEED_CHANNEL}', NEW.merchant_id::text);
  RETURN NULL;
END
$fn$;
CREATE OR REPLACE TRIGGER merchant_order_feed AFTER INSERT OR UPDATE ON ${schema}.merchant_orders
  FOR EACH ROW EXECUTE FUNCTION ${schema}.append_merchant_order_change();
`;
}

export function dropMerchantFeedDdl(schema: string): string {
  return `
DROP TRIGGER IF EXISTS merchant_order_feed ON ${schema}.merchant_orders;
DROP FUNCTION IF EXISTS ${schema}.append_merchant_order_change();
DROP TABLE IF EXISTS ${schema}.merchant_order_changes;
DROP TABLE IF EXISTS ${schema}.merchant_feed_heads;
`;
}

/**
 * Delivery on the order's user shard, beside the order it concerns: which delivery partner an
 * order is assigned to (the dispatch, one row per order, re-assignable until pickup), and the
 * exceptions riders report on the way. Listing a partner's orders reads the partner index of
 * every user shard, one statement per physical database.
 */
export function deliveryDdl(schema: string): string {
  return `
CREATE TABLE IF NOT EXISTS ${schema}.delivery_assignments (
  order_id            bigint PRIMARY KEY REFERENCES ${schema}.orders (id),
  delivery_partner_id bigint NOT NULL,
  assigned_at         timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS delivery_assignments_partner_idx
  ON ${schema}.delivery_assignments (delivery_partner_id, order_id DESC);
CREATE TABLE IF NOT EXISTS ${schema}.delivery_exceptions (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id            bigint NOT NULL REFERENCES ${schema}.orders (id),
  delivery_partner_id bigint NOT NULL,
  kind                text NOT NULL,
  note                text,
  reported_at         timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS delivery_exceptions_order_idx ON ${schema}.delivery_exceptions (order_id);
`;
}

export function dropDeliveryDdl(schema: string): string {
  return `
DROP TABLE IF EXISTS ${schema}.delivery_exceptions;
DROP TABLE IF EXISTS ${schema}.delivery_assignments;
`;
}
