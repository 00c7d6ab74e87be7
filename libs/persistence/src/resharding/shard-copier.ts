import type { Pool, PoolClient } from 'pg';
import {
  RESHARD_SCHEMA,
  batchAfter,
  deleteKeys,
  missingKeys,
  qualified,
  rowsOfKeys,
  SEQUENCES_OF_SCHEMA,
  TABLES_OF_SCHEMA,
  upsertRows,
} from './reshard.sql';
import { inTransaction, withPoolClient } from '../shards/pg-transaction';
import { parentsFirst, type ShardTable } from './table-order';

const COPY_BATCH = 2000;

interface CopyBatch {
  n: number;
  rows: string;
  last: string | null;
}
/** Source transactions per catch-up batch. */
const CHANGE_BATCH = 500;

/** The tables of `schema` on one database, parents first; refuses a table without primary key. */
export async function tablesOf(db: Pool | PoolClient, schema: string): Promise<ShardTable[]> {
  const { rows } = await db.query<{
    name: string;
    key: string[] | null;
    columns: string[];
    parents: string[];
  }>(TABLES_OF_SCHEMA, [schema]);
  return parentsFirst(
    rows.map((row) => {
      if (!row.key)
        throw new Error(`${schema}.${row.name} has no primary key: it cannot be moved row by row`);
      return { name: row.name, key: row.key, columns: row.columns, parents: row.parents };
    }),
  );
}

/**
 * Copies one shard schema from a source database to a target database: the bulk copy in keyset
 * batches, then catch-up from the source's change feed (keys written since the feed was installed:
 * each is copied again as the source has it now, or deleted when the source no longer has it, so
 * updates and deletes converge whatever their order).
 */
export class ShardCopier {
  constructor(
    private readonly source: Pool,
    private readonly target: Pool,
    private readonly schema: string,
    private readonly tables: readonly ShardTable[],
  ) {}

  /**
   * Every row of every table, parents first, all read in one snapshot (REPEATABLE READ) so that a
   * child row never arrives before its parent; what is written after that snapshot reaches the
   * target through the change feed, which was on before it. Returns the rows copied.
   */
  async bulkCopy(): Promise<number> {
    const snapshot = await this.source.connect();
    try {
      await snapshot.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const copied = await this.copyAll(snapshot);
      await snapshot.query('COMMIT');
      return copied;
    } catch (error) {
      await snapshot.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      snapshot.release();
    }
  }

  private async copyAll(snapshot: PoolClient): Promise<number> {
    let copied = 0;
    for (const table of this.tables) {
      let last: string | null = null;
      for (;;) {
        const result: { rows: CopyBatch[] } = await snapshot.query<CopyBatch>(
          batchAfter(this.schema, table),
          [last, COPY_BATCH],
        );
        const batch: CopyBatch = result.rows[0];
        if (batch.n === 0) break;
        await this.target.query(upsertRows(this.schema, table), [batch.rows]);
        copied += batch.n;
        last = batch.last;
        if (batch.n < COPY_BATCH) break;
      }
    }
    return copied;
  }

  /**
   * Applies one batch of the change feed to the target and removes it from the feed; returns how
   * many changes it took. Changes are taken by what is visible, not by an id watermark, so a writer
   * that commits late (with a smaller id) is taken by a later round rather than skipped.
   */
  async catchUpOnce(): Promise<number> {
    const { rows: changes } = await this.source.query<{ id: string; table_name: string; key: string }>(
      `WITH txs AS (
         SELECT xid, min(id) AS first FROM ${RESHARD_SCHEMA}.changes WHERE schema_name = $1
          GROUP BY xid ORDER BY first LIMIT $2)
       SELECT c.id::text AS id, c.table_name, c.key::text AS key
         FROM ${RESHARD_SCHEMA}.changes c JOIN txs USING (xid)
        WHERE c.schema_name = $1 ORDER BY c.id`,
      [this.schema, CHANGE_BATCH],
    );
    if (changes.length === 0) return 0;
    const keysByTable = new Map<string, Set<string>>();
    for (const change of changes) {
      const keys = keysByTable.get(change.table_name) ?? new Set<string>();
      keys.add(change.key);
      keysByTable.set(change.table_name, keys);
    }
    const upserts: { table: ShardTable; rows: string }[] = [];
    const deletes: { table: ShardTable; keys: string }[] = [];
    for (const table of this.tables) {
      const keys = keysByTable.get(table.name);
      if (!keys) continue;
      const json = `[${[...keys].join(',')}]`;
      const { rows } = await this.source.query<{ rows: string }>(rowsOfKeys(this.schema, table), [json]);
      upserts.push({ table, rows: rows[0].rows });
      const { rows: gone } = await this.source.query<{ key_text: string }>(missingKeys(this.schema, table), [
        [...keys],
      ]);
      if (gone.length > 0) deletes.push({ table, keys: `[${gone.map((row) => row.key_text).join(',')}]` });
    }
    await withPoolClient(this.target, (client) =>
      inTransaction(client, async () => {
        for (const { table, rows } of upserts) await client.query(upsertRows(this.schema, table), [rows]);
        for (const { table, keys } of deletes.reverse())
          await client.query(deleteKeys(this.schema, table), [keys]);
      }),
    );
    await this.source.query(`DELETE FROM ${RESHARD_SCHEMA}.changes WHERE id = ANY($1::bigint[])`, [
      changes.map((change) => change.id),
    ]);
    return changes.length;
  }

  /** Rounds of catch-up until a round finds at most `quiet` changes; returns the changes applied. */
  async catchUp(quiet: number, maxRounds = 20): Promise<number> {
    let applied = 0;
    for (let round = 0; round < maxRounds; round += 1) {
      const taken = await this.catchUpOnce();
      applied += taken;
      if (taken <= quiet) break;
    }
    return applied;
  }

  /** Every change left (the source is fenced: no new ones can come). */
  async drain(): Promise<number> {
    let applied = 0;
    for (;;) {
      const taken = await this.catchUpOnce();
      applied += taken;
      if (taken === 0) return applied;
    }
  }

  /** Sets each serial id's sequence on the target at least as far as the source's and the copied ids. */
  async alignSequences(): Promise<void> {
    const { rows } = await this.source.query<{ sequence: string; table: string; column: string }>(
      SEQUENCES_OF_SCHEMA,
      [this.schema],
    );
    for (const row of rows) {
      const sequence = qualified(this.schema, row.sequence);
      const { rows: at } = await this.source.query<{ last: string }>(
        `SELECT last_value::text AS last FROM ${sequence}`,
      );
      await this.target.query(
        `SELECT setval($1::regclass, GREATEST($2::bigint,
            (SELECT coalesce(max("${row.column.replace(/"/g, '""')}"), 1) FROM ${qualified(this.schema, row.table)}),
            (SELECT last_value FROM ${sequence})))`,
        [`${sequence}`, at[0].last],
      );
    }
  }
}
