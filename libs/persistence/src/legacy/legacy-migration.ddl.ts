/**
 * The migration's own tables, in the catalog database: the one unsharded database every eos app
 * already reaches. The id mapping must outlive the legacy database (old clients keep sending old
 * ids after it is gone), and forward-order reads the cut-over flags from here at run time, so
 * neither can live in the legacy database.
 *
 * - legacy_order_ids: old id -> new eos order id (the new id embeds the user shard, so the
 *   mapping alone routes an old id to its shard).
 * - legacy_migration_state: one JSON value per key: the backfill checkpoint, the cut-over flags.
 * - legacy_order_rejects: legacy orders the status mapper or eos's rules cannot place, with the
 *   reason, so that nothing is dropped silently; verify counts them as differences.
 */
export const LEGACY_MIGRATION_CATALOG_DDL = `
CREATE TABLE IF NOT EXISTS legacy_order_ids (
  legacy_id bigint PRIMARY KEY,
  order_id  bigint NOT NULL UNIQUE,
  user_id   bigint NOT NULL,
  mapped_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS legacy_migration_state (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS legacy_order_rejects (
  legacy_id bigint PRIMARY KEY,
  reason    text NOT NULL,
  seen_at   timestamptz NOT NULL DEFAULT now()
);
`;
