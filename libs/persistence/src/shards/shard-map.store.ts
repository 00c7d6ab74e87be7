import { createHash } from 'node:crypto';
import { parseShardMap, serializeShardMap, type ShardMap, type VersionedShardMap } from '@eos/sharding';
import { inTransaction } from './pg-transaction';

/** Anything that runs a parameterised statement: a pg Client, Pool or PoolClient. */
export interface CatalogConnection {
  query<R extends object = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

/** Listeners hear `<lineage>:<version>` here when a new version is committed. */
export const SHARD_MAP_CHANNEL = 'eos_shard_map';
const TABLE = 'eos_shard_map';
// Serialises seeding and switching on the catalog; the key is arbitrary but fixed.
const SHARD_MAP_LOCK_KEY = 727_010;

/**
 * The lineage of a live map: the fingerprint of the configured (bootstrap) map it grew from. Every
 * instance started with the same configuration follows the same live map; a test or a bench that
 * starts apps with a map of its own gets a lineage of its own and never sees another's moves.
 */
export function shardMapLineage(bootstrap: ShardMap): string {
  return createHash('sha256').update(serializeShardMap(bootstrap)).digest('hex').slice(0, 16);
}

interface MapRow {
  version: string;
  map: unknown;
}

function fromRow(row: MapRow): VersionedShardMap {
  return { version: Number(row.version), map: parseShardMap(JSON.stringify(row.map)) };
}

/**
 * The live shard map in the catalog database: one row per version and lineage, the newest in
 * force. Config is only the bootstrap: the first instance to start seeds version 1 from it.
 */
export class ShardMapStore {
  readonly lineage: string;

  constructor(private readonly bootstrap: ShardMap) {
    this.lineage = shardMapLineage(bootstrap);
  }

  /** The current map, seeding version 1 from the bootstrap map if this lineage has none. `db` must be a single connection. */
  async loadOrSeed(db: CatalogConnection): Promise<VersionedShardMap> {
    const existing = await this.current(db).catch((error: unknown) => {
      if ((error as { code?: string }).code === '42P01') return null; // table not created yet
      throw error;
    });
    if (existing) return existing;
    return inTransaction(db, async () => {
      await db.query('SELECT pg_advisory_xact_lock($1)', [SHARD_MAP_LOCK_KEY]);
      await db.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (
        lineage    text NOT NULL,
        version    bigint NOT NULL,
        map        jsonb NOT NULL,
        note       text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (lineage, version))`);
      await db.query(
        `INSERT INTO ${TABLE} (lineage, version, map, note) VALUES ($1, 1, $2::jsonb, 'seeded from configuration')
         ON CONFLICT DO NOTHING`,
        [this.lineage, serializeShardMap(this.bootstrap)],
      );
      const seeded = await this.current(db);
      if (!seeded) throw new Error('the shard map could not be seeded');
      return seeded;
    });
  }

  async current(db: CatalogConnection): Promise<VersionedShardMap | null> {
    const { rows } = await db.query<MapRow>(
      `SELECT version::text AS version, map FROM ${TABLE} WHERE lineage = $1 ORDER BY version DESC LIMIT 1`,
      [this.lineage],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async history(
    db: CatalogConnection,
    limit = 10,
  ): Promise<{ version: number; note: string; createdAt: Date }[]> {
    const { rows } = await db.query<{ version: string; note: string; created_at: Date }>(
      `SELECT version::text AS version, note, created_at FROM ${TABLE} WHERE lineage = $1
        ORDER BY version DESC LIMIT $2`,
      [this.lineage, limit],
    );
    return rows.map((row) => ({ version: Number(row.version), note: row.note, createdAt: row.created_at }));
  }

  /**
   * Commits `change(current)` as the next version and notifies every follower, in one catalog
   * transaction (NOTIFY is delivered on commit). `db` must be a single connection.
   */
  async publish(
    db: CatalogConnection,
    note: string,
    change: (current: ShardMap) => ShardMap,
  ): Promise<VersionedShardMap> {
    return inTransaction(db, async () => {
      await db.query('SELECT pg_advisory_xact_lock($1)', [SHARD_MAP_LOCK_KEY]);
      const current = await this.current(db);
      if (!current) throw new Error('no live shard map yet: start an app or run setup first');
      const next = change(current.map);
      const version = current.version + 1;
      await db.query(`INSERT INTO ${TABLE} (lineage, version, map, note) VALUES ($1, $2, $3::jsonb, $4)`, [
        this.lineage,
        version,
        serializeShardMap(next),
        note,
      ]);
      await db.query('SELECT pg_notify($1, $2)', [SHARD_MAP_CHANNEL, `${this.lineage}:${version}`]);
      return { version, map: next };
    });
  }
}
