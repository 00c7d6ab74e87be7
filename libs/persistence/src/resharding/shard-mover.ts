import { Client, Pool, type PoolClient } from 'pg';
import {
  LOGICAL_SHARDS,
  declareDatabase,
  isLogicalShard,
  merchantSchemaName,
  userSchemaName,
  planShardMove,
  reassignShard,
  type SchemaMove,
  type ShardMap,
  type ShardMovePlan,
} from '@eos/sharding';
import { SHARD_MIGRATION_STEPS } from '../migrations/shard-schema.migration';
import type { ShardMapStore } from '../shards/shard-map.store';
import {
  CHANGE_FEED_DDL,
  RESHARD_SCHEMA,
  captureTrigger,
  dropCaptureTrigger,
  dropFenceTrigger,
  fenceTrigger,
  qualified,
} from './reshard.sql';
import { inPoolTransaction, inTransaction, withPoolClient } from '../shards/pg-transaction';
import { ShardCopier, tablesOf } from './shard-copier';
import { compareSchema, type TableComparison } from './shard-verifier';
import type { ShardTable } from './table-order';

export interface ShardMoverOptions {
  readonly catalogUrl: string;
  readonly store: ShardMapStore;
  readonly log: (line: string) => void;
}

export interface SchemaReport {
  readonly schema: string;
  readonly from: string;
  readonly to: string;
  readonly comparisons: readonly TableComparison[];
}

export interface MoveReport {
  readonly shard: number;
  readonly target: string;
  readonly version: number;
  readonly copiedRows: number;
  readonly caughtUpChanges: number;
  /** From the first fence lock taken to the new map committed: the moved shard's write pause. */
  readonly fenceMs: number;
  readonly schemas: readonly SchemaReport[];
}

function differencesIn(reports: readonly SchemaReport[]): number {
  return reports.reduce(
    (sum, report) => sum + report.comparisons.reduce((inner, table) => inner + table.differenceCount, 0),
    0,
  );
}

/** Each try at a schema's table locks waits at most this long, below deadlock_timeout (1 s by default). */
const LOCK_TRY_MS = 50;
const LOCK_TRIES = 100;
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Takes SHARE ROW EXCLUSIVE on every table of a schema (writers wait, readers go on), giving up each
 * try after LOCK_TRY_MS and trying again. The tables are locked one after another, so a writer
 * holding one of them while it waits for one we hold would deadlock with us: our short wait always
 * gives way first, so the writer only ever waits, never fails.
 */
async function lockSchemaTables(
  client: PoolClient,
  schema: string,
  tables: readonly ShardTable[],
  // DROP TRIGGER needs ACCESS EXCLUSIVE (readers wait too); creating one, SHARE ROW EXCLUSIVE.
  mode: 'SHARE ROW EXCLUSIVE' | 'ACCESS EXCLUSIVE' = 'SHARE ROW EXCLUSIVE',
): Promise<void> {
  const statement = `LOCK TABLE ${tables.map((table) => qualified(schema, table.name)).join(', ')} IN ${mode} MODE`;
  for (let attempt = 1; ; attempt += 1) {
    await client.query('SAVEPOINT eos_reshard_lock');
    await client.query(`SET LOCAL lock_timeout = ${LOCK_TRY_MS}`);
    try {
      await client.query(statement);
      await client.query('RELEASE SAVEPOINT eos_reshard_lock');
      await client.query('SET LOCAL lock_timeout = 0');
      return;
    } catch (error) {
      await client.query('ROLLBACK TO SAVEPOINT eos_reshard_lock');
      if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE || attempt >= LOCK_TRIES) throw error;
      await new Promise((done) => setTimeout(done, Math.floor(Math.random() * LOCK_TRY_MS)));
    }
  }
}

/** Switches a schema's own triggers off (while the target is filled) or on (before it serves). */
async function setUserTriggers(
  client: PoolClient,
  schema: string,
  tables: readonly ShardTable[],
  enabled: boolean,
): Promise<void> {
  for (const table of tables) {
    await client.query(
      `ALTER TABLE ${qualified(schema, table.name)} ${enabled ? 'ENABLE' : 'DISABLE'} TRIGGER USER`,
    );
  }
}

/** Creates the database of `url` on its server if it is missing (the operator's --url). */
export async function ensureDatabaseOf(url: string): Promise<boolean> {
  const name = new URL(url).pathname.replace(/^\//, '');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new Error(`unsupported database name "${name}" in the URL`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE "${name}"`);
    return true;
  } finally {
    await client.end();
  }
}

/**
 * Moves one logical shard (its user schema and its merchant schema) to another physical database
 * while the shard keeps taking writes: change feed on, bulk copy, catch-up, fence (the shard's
 * tables only), final catch-up, sequences, verify, switch the live map, feed off. Safe to run again
 * after a failure: the target copy is rebuilt from the source, which stays the shard's home until
 * the map switches.
 */
export class ShardMover {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly options: ShardMoverOptions) {}

  pool(map: ShardMap, database: string): Pool {
    let pool = this.pools.get(database);
    if (!pool) {
      // Row hashes compare timestamps as text: one TimeZone on both sides.
      pool = new Pool({ connectionString: map.databases[database], max: 6, options: '-c TimeZone=UTC' });
      pool.on('error', () => undefined);
      this.pools.set(database, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.end()));
    this.pools.clear();
  }

  async withCatalog<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: this.options.catalogUrl, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  async currentMap(): Promise<{ version: number; map: ShardMap }> {
    return this.withCatalog((client) => this.options.store.loadOrSeed(client));
  }

  /** Declares a database in the live map (creating it on its server if missing). */
  async declare(name: string, url: string): Promise<void> {
    const { map } = await this.currentMap();
    if (map.databases[name] === url) return;
    declareDatabase(map, name, url); // refuses a bad URL or a name taken by another URL, before anything changes
    if (await ensureDatabaseOf(url)) this.options.log(`created database ${name}`);
    const published = await this.withCatalog((client) =>
      this.options.store.publish(client, `declare ${name}`, (current) => declareDatabase(current, name, url)),
    );
    this.options.log(`declared ${name} (shard map version ${published.version})`);
  }

  async move(shard: number, target: string): Promise<MoveReport> {
    const { map } = await this.currentMap();
    const plan = planShardMove(map, shard, target);
    const log = this.options.log;
    log(
      `moving shard ${shard}: ${plan.schemas.map((move) => `${move.schema} ${move.from} -> ${move.to}`).join(', ')}`,
    );
    const targetPool = this.pool(map, target);
    const copies: { move: SchemaMove; tables: ShardTable[]; copier: ShardCopier; source: Pool }[] = [];
    const fenced: typeof copies = [];
    let copiedRows = 0;
    let caughtUp = 0;
    let schemaReports: SchemaReport[] = [];
    let published: { version: number };
    let fencedAt = 0;
    let switchedAt = 0;
    const steps: string[] = [];
    const step = (name: string): void => {
      steps.push(`${name} +${Date.now() - fencedAt} ms`);
    };
    // The catalog connection is opened before the fence: the switch is then one short transaction.
    const catalog = new Client({ connectionString: this.options.catalogUrl, connectionTimeoutMillis: 5000 });
    await catalog.connect();
    try {
      try {
        for (const move of plan.schemas) {
          const source = this.pool(map, move.from);
          const tables = await tablesOf(source, move.schema);
          await this.prepareTarget(targetPool, move, tables);
          const copier = new ShardCopier(source, targetPool, move.schema, tables);
          copies.push({ move, tables, copier, source });
          await this.installChangeFeed(source, move.schema, tables);
          const copied = await copier.bulkCopy();
          copiedRows += copied;
          caughtUp += await copier.catchUp(100);
          log(`${move.schema}: copied ${copied} rows, caught up`);
        }
        // One more round for the schema copied first, which kept taking writes while the second
        // copied, then a tight one right before the fence: what the fence must drain stays small.
        for (const { copier } of copies) caughtUp += await copier.catchUp(100);
        for (const { copier } of copies) caughtUp += await copier.catchUp(10, 5);

        fencedAt = Date.now();
        await Promise.all(
          copies.map(async (copy) => {
            await this.fence(copy.source, copy.move, copy.tables);
            fenced.push(copy);
          }),
        );
        step('fenced');
        const drained = await Promise.all(copies.map(({ copier }) => copier.drain()));
        caughtUp += drained.reduce((sum, n) => sum + n, 0);
        await Promise.all(copies.map(({ copier }) => copier.alignSequences()));
        step(`drained ${drained.join('+')} changes`);
        schemaReports = await Promise.all(
          copies.map(async ({ move, tables, source }) => ({
            schema: move.schema,
            from: move.from,
            to: move.to,
            comparisons: await compareSchema(source, targetPool, move.schema, tables),
          })),
        );
        step('verified');
        const differences = differencesIn(schemaReports);
        if (differences > 0) throw new MoveVerificationError(schemaReports, differences);
        await withPoolClient(targetPool, (client) =>
          inTransaction(client, async () => {
            for (const { move, tables } of copies) await setUserTriggers(client, move.schema, tables, true);
          }),
        );
      } catch (error) {
        // Not switched: the source stays the shard's home, takes writes again and loses its feed.
        for (const { move, tables, source } of fenced) await this.unfence(source, move.schema, tables);
        for (const { move, tables, source } of copies) {
          await this.removeChangeFeed(source, move.schema, tables).catch(() => undefined);
        }
        throw error;
      }
      // A failure from here on is ambiguous (the switch may have committed): the fence stays, and
      // running the same move again finishes it or reports the shard already there.
      published = await this.options.store.publish(catalog, `move shard ${shard} to ${target}`, (current) =>
        reassignShard(current, shard, target),
      );
      switchedAt = Date.now();
      step('switched');
    } finally {
      await catalog.end();
    }
    const fenceMs = switchedAt - fencedAt;
    log(
      `switched: shard map version ${published.version}; the fence held ${fenceMs} ms (${steps.join(', ')})`,
    );
    for (const { move, tables, source } of copies) {
      // The old copy is fenced: its feed can record nothing more, so failing to remove it is harmless.
      await this.removeChangeFeed(source, move.schema, tables).catch((error: unknown) =>
        log(
          `${move.schema}: the change feed on ${move.from} stays (${String(error)}); it is inert behind the fence`,
        ),
      );
    }
    return {
      shard,
      target,
      version: published.version,
      copiedRows,
      caughtUpChanges: caughtUp,
      fenceMs,
      schemas: schemaReports,
    };
  }

  /** Compares the shard's schemas where the map puts them with the copies on `against` (each schema's old home by default). */
  async verify(shard: number, against?: string): Promise<SchemaReport[]> {
    const { map } = await this.currentMap();
    if (!isLogicalShard(shard))
      throw new Error(`unknown logical shard ${String(shard)} (expected 0..${LOGICAL_SHARDS - 1})`);
    const reports: SchemaReport[] = [];
    for (const [dimension, schema] of [
      ['user', userSchemaName(shard)],
      ['merchant', merchantSchemaName(shard)],
    ] as const) {
      const home = map[dimension][shard];
      const other = against ?? (await this.fencedCopyOf(map, schema, home));
      if (other === undefined) {
        this.options.log(
          `${schema}: on ${home}; no fenced copy elsewhere to compare with (pass --against <database>)`,
        );
        continue;
      }
      if (!(other in map.databases)) throw new Error(`unknown database "${other}"`);
      const tables = await tablesOf(this.pool(map, home), schema);
      reports.push({
        schema,
        from: other,
        to: home,
        comparisons: await compareSchema(this.pool(map, other), this.pool(map, home), schema, tables),
      });
    }
    return reports;
  }

  /** Fences recorded on each database: old copies of moved shards. */
  async fences(
    map: ShardMap,
  ): Promise<{ database: string; schema: string; target: string; fencedAt: Date }[]> {
    const found: { database: string; schema: string; target: string; fencedAt: Date }[] = [];
    for (const database of Object.keys(map.databases)) {
      const { rows } = await this.pool(map, database)
        .query<{ schema_name: string; target: string; fenced_at: Date }>(
          `SELECT schema_name, target, fenced_at FROM ${RESHARD_SCHEMA}.fences ORDER BY schema_name`,
        )
        .catch(() => ({ rows: [] as { schema_name: string; target: string; fenced_at: Date }[] }));
      for (const row of rows)
        found.push({ database, schema: row.schema_name, target: row.target, fencedAt: row.fenced_at });
    }
    return found;
  }

  private async fencedCopyOf(map: ShardMap, schema: string, home: string): Promise<string | undefined> {
    const fences = await this.fences(map);
    return fences.find((fence) => fence.schema === schema && fence.database !== home)?.database;
  }

  /** The schema on the target, built by the same migration steps as every shard; emptied of any stale copy. */
  private async prepareTarget(target: Pool, move: SchemaMove, tables: readonly ShardTable[]): Promise<void> {
    await inPoolTransaction(target, async (client) => {
      let existing = await tablesOf(client, move.schema);
      if (existing.length === 0) {
        for (const step of SHARD_MIGRATION_STEPS) {
          const ddl = step[move.dimension];
          if (ddl) await client.query(ddl.up(move.schema));
        }
        existing = await tablesOf(client, move.schema);
      } else {
        // The map routes this schema elsewhere, so this copy serves nobody: an old copy from an
        // earlier move (fenced) or a half-done attempt. Rebuilt from scratch.
        await client.query(CHANGE_FEED_DDL);
        for (const table of existing) await client.query(dropFenceTrigger(move.schema, table));
        await client.query(`DELETE FROM ${RESHARD_SCHEMA}.fences WHERE schema_name = $1`, [move.schema]);
      }
      // The copy writes rows as they are, not new writes: the schema's own triggers (the merchant
      // feed, payment counts, the append-only audit log) must not fire on the target until it serves.
      await setUserTriggers(client, move.schema, existing, false);
      await client.query(
        `TRUNCATE ${existing.map((table) => qualified(move.schema, table.name)).join(', ')}`,
      );
    });
    const created = await tablesOf(target, move.schema);
    const missing = tables.filter((table) => !created.some((other) => other.name === table.name));
    if (missing.length > 0) {
      throw new Error(
        `${move.schema} on ${move.to} lacks ${missing.map((table) => table.name).join(', ')} after migration`,
      );
    }
  }

  private async installChangeFeed(
    source: Pool,
    schema: string,
    tables: readonly ShardTable[],
  ): Promise<void> {
    await inPoolTransaction(source, async (client) => {
      await client.query(CHANGE_FEED_DDL);
      // Changes logged by an earlier attempt are covered by the fresh bulk copy that follows.
      await client.query(`DELETE FROM ${RESHARD_SCHEMA}.changes WHERE schema_name = $1`, [schema]);
      await lockSchemaTables(client, schema, tables);
      for (const table of tables) await client.query(captureTrigger(schema, table));
    });
  }

  private async removeChangeFeed(source: Pool, schema: string, tables: readonly ShardTable[]): Promise<void> {
    await inPoolTransaction(source, async (client) => {
      await lockSchemaTables(client, schema, tables, 'ACCESS EXCLUSIVE');
      for (const table of tables) await client.query(dropCaptureTrigger(schema, table));
      await client.query(`DELETE FROM ${RESHARD_SCHEMA}.changes WHERE schema_name = $1`, [schema]);
    });
  }

  /**
   * Stops writes to one schema on its source, for good: the lock waits for the writers in flight
   * (their changes reach the feed) and holds new ones until the fence trigger is committed; from
   * then on every write there fails with SQLSTATE EOS01, which the apps answer by re-reading the map
   * and writing to the new database. Reads of the old copy go on.
   */
  private async fence(source: Pool, move: SchemaMove, tables: readonly ShardTable[]): Promise<void> {
    await inPoolTransaction(source, async (client) => {
      await lockSchemaTables(client, move.schema, tables);
      for (const table of tables) await client.query(fenceTrigger(move.schema, table, move.to));
      await client.query(
        `INSERT INTO ${RESHARD_SCHEMA}.fences (schema_name, target) VALUES ($1, $2)
         ON CONFLICT (schema_name) DO UPDATE SET target = EXCLUDED.target, fenced_at = now()`,
        [move.schema, move.to],
      );
    });
  }

  private async unfence(source: Pool, schema: string, tables: readonly ShardTable[]): Promise<void> {
    await inPoolTransaction(source, async (client) => {
      await lockSchemaTables(client, schema, tables, 'ACCESS EXCLUSIVE');
      for (const table of tables) await client.query(dropFenceTrigger(schema, table));
      await client.query(`DELETE FROM ${RESHARD_SCHEMA}.fences WHERE schema_name = $1`, [schema]);
    });
  }
}

export class MoveVerificationError extends Error {
  constructor(
    readonly reports: readonly SchemaReport[],
    readonly differences: number,
  ) {
    super(
      `verify found ${differences} difference(s) inside the fence: not switched, the shard stays where it was`,
    );
  }
}

export type { ShardMovePlan };
