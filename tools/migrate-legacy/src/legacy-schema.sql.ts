/**
 * The sample legacy schema: the single-table order database teams arrive with. Numeric ids of the
 * old scheme (bigserial), statuses in the old vocabulary (see LEGACY_STATUS_MAP in @eos/domain),
 * money in cents, the address flattened into columns, items in a child table.
 */
export const LEGACY_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS orders (
  id                  bigserial PRIMARY KEY,
  user_id             bigint NOT NULL,
  merchant_id         bigint NOT NULL,
  status              varchar(16) NOT NULL,
  subtotal_cents      bigint NOT NULL,
  packaging_fee_cents bigint NOT NULL DEFAULT 0,
  delivery_fee_cents  bigint NOT NULL DEFAULT 0,
  discount_cents      bigint NOT NULL DEFAULT 0,
  total_cents         bigint NOT NULL,
  address             text,
  city                text,
  phone               varchar(32),
  remark              text,
  paid_at             timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS orders_user_created_idx ON orders (user_id, created_at DESC);
CREATE INDEX IF NOT EXISTS orders_merchant_created_idx ON orders (merchant_id, created_at DESC);
CREATE TABLE IF NOT EXISTS order_items (
  id               bigserial PRIMARY KEY,
  order_id         bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  item_id          bigint NOT NULL,
  name             text NOT NULL,
  unit_price_cents bigint NOT NULL,
  quantity         integer NOT NULL
);
CREATE INDEX IF NOT EXISTS order_items_order_idx ON order_items (order_id);
`;

/**
 * Change capture for dual-write: every write to a legacy order or one of its items appends the
 * order's old id to eos_order_changes, in the writer's own transaction, so a write that commits is
 * captured and one that rolls back is not. The relay re-reads the order's whole current state, so
 * the change rows need no payload and their order does not matter.
 *
 * An item write also locks its order row (FOR NO KEY UPDATE): the copier holds FOR SHARE on the
 * order rows it copies until the sharded write commits, so no write to an order (or its items) can
 * commit between the copier's read and its write. That is what makes "the last copy wins" true.
 */
export const CHANGE_CAPTURE_SQL = `
CREATE TABLE IF NOT EXISTS eos_order_changes (
  seq        bigserial PRIMARY KEY,
  order_id   bigint NOT NULL,
  operation  text NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE OR REPLACE FUNCTION eos_capture_order_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'orders' THEN
    IF TG_OP = 'DELETE' THEN
      INSERT INTO eos_order_changes (order_id, operation) VALUES (OLD.id, TG_OP);
    ELSE
      INSERT INTO eos_order_changes (order_id, operation) VALUES (NEW.id, TG_OP);
    END IF;
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM 1 FROM orders WHERE id = OLD.order_id FOR NO KEY UPDATE;
    INSERT INTO eos_order_changes (order_id, operation) VALUES (OLD.order_id, 'ITEM_' || TG_OP);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM 1 FROM orders WHERE id = NEW.order_id FOR NO KEY UPDATE;
    INSERT INTO eos_order_changes (order_id, operation) VALUES (NEW.order_id, 'ITEM_' || TG_OP);
  END IF;
  RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER eos_capture_orders AFTER INSERT OR UPDATE OR DELETE ON orders
  FOR EACH ROW EXECUTE FUNCTION eos_capture_order_change();
CREATE OR REPLACE TRIGGER eos_capture_order_items AFTER INSERT OR UPDATE OR DELETE ON order_items
  FOR EACH ROW EXECUTE FUNCTION eos_capture_order_change();
`;

/**
 * The write fence of \`cutover writes\`: from then on eos is the only writer, and a legacy write
 * would be lost (the relay stops), so the legacy tables refuse it loudly.
 */
export const WRITE_FENCE_SQL = `
CREATE OR REPLACE FUNCTION eos_refuse_legacy_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'legacy orders are read-only: writes were cut over to eos (migrate-legacy cutover writes)'
    USING ERRCODE = 'read_only_sql_transaction';
END $$;
CREATE OR REPLACE TRIGGER eos_fence_orders BEFORE INSERT OR UPDATE OR DELETE ON orders
  FOR EACH STATEMENT EXECUTE FUNCTION eos_refuse_legacy_write();
CREATE OR REPLACE TRIGGER eos_fence_order_items BEFORE INSERT OR UPDATE OR DELETE ON order_items
  FOR EACH STATEMENT EXECUTE FUNCTION eos_refuse_legacy_write();
`;
