import type { Pool } from 'pg';
import { literal, rowHashes, tableChecksum } from './reshard.sql';
import type { ShardTable } from './table-order';

export interface TableComparison {
  readonly table: string;
  readonly sourceRows: number;
  readonly targetRows: number;
  readonly equal: boolean;
  /** Keys (as JSON) that differ, at most DIFFERENCES_LISTED of them. */
  readonly differences: readonly string[];
  readonly differenceCount: number;
}

const DIFFERENCES_LISTED = 20;

async function hashes(db: Pool, schema: string, table: ShardTable): Promise<Map<string, string>> {
  const { rows } = await db.query<{ key: string; hash: string }>(rowHashes(schema, table));
  return new Map(rows.map((row) => [row.key, row.hash]));
}

/**
 * Compares one schema on two databases table by table: counts and an order-independent checksum;
 * where they disagree, every row's hash, to list the keys that are missing, extra or different.
 * Both pools must use the same TimeZone (timestamps are hashed as text).
 */
export async function compareSchema(
  source: Pool,
  target: Pool,
  schema: string,
  tables: readonly ShardTable[],
): Promise<TableComparison[]> {
  const comparisons: TableComparison[] = [];
  // One statement per side for every table: inside the fence, round trips are the moved shard's pause.
  const all = tables
    .map(
      (table) => `SELECT ${literal(table.name)} AS name, c.n, c.sum FROM (${tableChecksum(schema, table)}) c`,
    )
    .join(' UNION ALL ');
  const [left, right] = await Promise.all(
    [source, target].map(async (db) => {
      const { rows } = await db.query<{ name: string; n: string; sum: string }>(all);
      return new Map(rows.map((row) => [row.name, row]));
    }),
  );
  for (const table of tables) {
    const a = left.get(table.name) ?? { n: '0', sum: '0' };
    const b = right.get(table.name) ?? { n: '0', sum: '0' };
    if (a.n === b.n && a.sum === b.sum) {
      comparisons.push({
        table: table.name,
        sourceRows: Number(a.n),
        targetRows: Number(b.n),
        equal: true,
        differences: [],
        differenceCount: 0,
      });
      continue;
    }
    const [ours, theirs] = await Promise.all([hashes(source, schema, table), hashes(target, schema, table)]);
    const differences: string[] = [];
    for (const [key, hash] of ours) {
      const other = theirs.get(key);
      if (other === undefined) differences.push(`${key} missing on target`);
      else if (other !== hash) differences.push(`${key} differs`);
    }
    for (const key of theirs.keys()) if (!ours.has(key)) differences.push(`${key} only on target`);
    comparisons.push({
      table: table.name,
      sourceRows: Number(a.n),
      targetRows: Number(b.n),
      equal: differences.length === 0,
      differences: differences.slice(0, DIFFERENCES_LISTED),
      differenceCount: differences.length,
    });
  }
  return comparisons;
}
