import type { ShardTable } from './table-order';

// Statements of the shard mover. Schema and table names come from the shard router and the
// catalog of the database itself (pg_class), never from input; they are still quoted.

export const RESHARD_SCHEMA = 'eos_reshard';

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function qualified(schema: string, table: string): string {
  return `${ident(schema)}.${ident(table)}`;
}

/** Tables of a schema with key, columns and same-schema parents. */
export const TABLES_OF_SCHEMA = `
SELECT c.relname::text AS name,
  (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_index i
     CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
    WHERE i.indrelid = c.oid AND i.indisprimary) AS key,
  (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
  (SELECT coalesce(array_agg(DISTINCT p.relname::text), '{}') FROM pg_constraint f
     JOIN pg_class p ON p.oid = f.confrelid
    WHERE f.conrelid = c.oid AND f.contype = 'f' AND p.relnamespace = c.relnamespace) AS parents
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
ORDER BY c.relname`;

/** Sequences owned by columns of a schema's tables (bigserial ids of outbox, history, audit). */
export const SEQUENCES_OF_SCHEMA = `
SELECT s.relname::text AS sequence, t.relname::text AS "table", a.attname::text AS "column"
FROM pg_class s
JOIN pg_namespace n ON n.oid = s.relnamespace
JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')
JOIN pg_class t ON t.oid = d.refobjid
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
WHERE s.relkind = 'S' AND n.nspname = $1`;

/** The change feed of the source database: one row per written key, fed by a trigger per table. */
export const CHANGE_FEED_DDL = `
CREATE SCHEMA IF NOT EXISTS ${RESHARD_SCHEMA};
CREATE TABLE IF NOT EXISTS ${RESHARD_SCHEMA}.changes (
  id          bigserial PRIMARY KEY,
  schema_name text NOT NULL,
  table_name  text NOT NULL,
  key         jsonb NOT NULL,
  -- The writing transaction: catch-up applies whole transactions, so a parent row and the child
  -- rows written with it reach the target together (foreign keys hold at every step).
  xid         bigint NOT NULL DEFAULT txid_current()
);
CREATE INDEX IF NOT EXISTS changes_schema_idx ON ${RESHARD_SCHEMA}.changes (schema_name, id);
CREATE TABLE IF NOT EXISTS ${RESHARD_SCHEMA}.fences (
  schema_name text PRIMARY KEY,
  target      text NOT NULL,
  fenced_at   timestamptz NOT NULL DEFAULT now()
);
CREATE OR REPLACE FUNCTION ${RESHARD_SCHEMA}.capture() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  new_key jsonb;
  old_key jsonb;
BEGIN
  IF TG_OP <> 'DELETE' THEN
    SELECT jsonb_object_agg(e.key, e.value) INTO new_key FROM jsonb_each(to_jsonb(NEW)) e WHERE e.key = ANY (TG_ARGV);
    INSERT INTO ${RESHARD_SCHEMA}.changes (schema_name, table_name, key) VALUES (TG_TABLE_SCHEMA, TG_TABLE_NAME, new_key);
  END IF;
  IF TG_OP <> 'INSERT' THEN
    SELECT jsonb_object_agg(e.key, e.value) INTO old_key FROM jsonb_each(to_jsonb(OLD)) e WHERE e.key = ANY (TG_ARGV);
    IF old_key IS DISTINCT FROM new_key THEN
      INSERT INTO ${RESHARD_SCHEMA}.changes (schema_name, table_name, key) VALUES (TG_TABLE_SCHEMA, TG_TABLE_NAME, old_key);
    END IF;
  END IF;
  RETURN NULL;
END
$fn$;
CREATE OR REPLACE FUNCTION ${RESHARD_SCHEMA}.refuse_write() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'shard moved' USING ERRCODE = 'EOS01', DETAIL = TG_TABLE_SCHEMA, HINT = 'now on ' || TG_ARGV[0];
END
$fn$;`;

export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function captureTrigger(schema: string, table: ShardTable): string {
  const args = table.key.map(literal).join(', ');
  return `CREATE OR REPLACE TRIGGER eos_reshard_capture AFTER INSERT OR UPDATE OR DELETE ON ${qualified(schema, table.name)}
    FOR EACH ROW EXECUTE FUNCTION ${RESHARD_SCHEMA}.capture(${args})`;
}

export function dropCaptureTrigger(schema: string, table: ShardTable): string {
  return `DROP TRIGGER IF EXISTS eos_reshard_capture ON ${qualified(schema, table.name)}`;
}

/** Statement-level, so a write that touches no row is refused too; TRUNCATE included. */
export function fenceTrigger(schema: string, table: ShardTable, target: string): string {
  return `CREATE OR REPLACE TRIGGER eos_reshard_fence BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON ${qualified(schema, table.name)} FOR EACH STATEMENT EXECUTE FUNCTION ${RESHARD_SCHEMA}.refuse_write(${literal(target)})`;
}

export function dropFenceTrigger(schema: string, table: ShardTable): string {
  return `DROP TRIGGER IF EXISTS eos_reshard_fence ON ${qualified(schema, table.name)}`;
}

function keyTuple(alias: string, table: ShardTable): string {
  return `(${table.key.map((column) => `${alias}.${ident(column)}`).join(', ')})`;
}

function keyMatch(table: ShardTable): string {
  return table.key.map((column) => `t.${ident(column)} = k.${ident(column)}`).join(' AND ');
}

/**
 * One batch of rows after a key (keyset), as JSON text: rows never pass through JavaScript numbers
 * (int8 ids beyond 2^53 would lose digits). $1 = last key as JSON or null, $2 = batch size.
 */
export function batchAfter(schema: string, table: ShardTable): string {
  const target = qualified(schema, table.name);
  const keys = table.key.map((column) => `t.${ident(column)}`).join(', ');
  const keyObject = table.key.map((column) => `${literal(column)}, b.${ident(column)}`).join(', ');
  return `WITH b AS (
      SELECT t.* FROM ${target} t
       WHERE $1::jsonb IS NULL OR ${keyTuple('t', table)} > (SELECT ${keyTuple('k', table).slice(1, -1)} FROM jsonb_populate_record(NULL::${target}, $1::jsonb) k)
       ORDER BY ${keys} LIMIT $2)
    SELECT count(*)::int AS n, coalesce(jsonb_agg(to_jsonb(b)), '[]')::text AS rows,
      (SELECT jsonb_build_object(${keyObject})::text FROM b ORDER BY ${table.key.map((column) => `b.${ident(column)}`).join(' DESC, ')} DESC LIMIT 1) AS last
    FROM b`;
}

/** The current rows of the given keys ($1 = JSON array of key objects), as JSON text. */
export function rowsOfKeys(schema: string, table: ShardTable): string {
  const target = qualified(schema, table.name);
  return `SELECT coalesce(jsonb_agg(to_jsonb(t)), '[]')::text AS rows
    FROM ${target} t JOIN jsonb_populate_recordset(NULL::${target}, $1::jsonb) k ON ${keyMatch(table)}`;
}

/** Of the given keys ($1 = text[] of key objects), those with no row: deleted since they were logged. */
export function missingKeys(schema: string, table: ShardTable): string {
  const target = qualified(schema, table.name);
  return `SELECT key_text FROM unnest($1::text[]) AS key_text
    WHERE NOT EXISTS (SELECT 1 FROM ${target} t, jsonb_populate_record(NULL::${target}, key_text::jsonb) k WHERE ${keyMatch(table)})`;
}

/** Inserts or overwrites rows ($1 = JSON array of rows) by primary key. */
export function upsertRows(schema: string, table: ShardTable): string {
  const target = qualified(schema, table.name);
  const rest = table.columns.filter((column) => !table.key.includes(column));
  const onConflict =
    rest.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${rest.map((column) => `${ident(column)} = EXCLUDED.${ident(column)}`).join(', ')}`;
  return `INSERT INTO ${target} SELECT * FROM jsonb_populate_recordset(NULL::${target}, $1::jsonb)
    ON CONFLICT (${table.key.map(ident).join(', ')}) ${onConflict}`;
}

/** Deletes rows by key ($1 = JSON array of key objects). */
export function deleteKeys(schema: string, table: ShardTable): string {
  const target = qualified(schema, table.name);
  return `DELETE FROM ${target} t USING jsonb_populate_recordset(NULL::${target}, $1::jsonb) k WHERE ${keyMatch(table)}`;
}

/** Count and an order-independent checksum of every row (sum of 60-bit slices of row hashes). */
export function tableChecksum(schema: string, table: ShardTable): string {
  return `SELECT count(*)::text AS n,
      coalesce(sum(('x' || substr(md5(to_jsonb(t)::text), 1, 15))::bit(60)::bigint), 0)::text AS sum
    FROM ${qualified(schema, table.name)} t`;
}

/** Every row's key and hash, to list differences once the checksums disagree. */
export function rowHashes(schema: string, table: ShardTable): string {
  const keyObject = table.key.map((column) => `${literal(column)}, t.${ident(column)}`).join(', ');
  return `SELECT jsonb_build_object(${keyObject})::text AS key, md5(to_jsonb(t)::text) AS hash
    FROM ${qualified(schema, table.name)} t`;
}
