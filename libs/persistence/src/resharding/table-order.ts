/** A table of a shard schema as the mover sees it. */
export interface ShardTable {
  readonly name: string;
  /** Primary key columns, in key order. */
  readonly key: readonly string[];
  /** Every column, in table order. */
  readonly columns: readonly string[];
  /** Tables of the same schema this one references (foreign keys). */
  readonly parents: readonly string[];
}

/**
 * Tables with every referenced table before its referrers, names alphabetical otherwise (so plans
 * and reports are stable): rows are upserted in this order and deleted in reverse, so a copy never
 * breaks a foreign key. A cycle is refused: the mover could not order its writes.
 */
export function parentsFirst(tables: readonly ShardTable[]): ShardTable[] {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const ordered: ShardTable[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (table: ShardTable, path: string[]): void => {
    const seen = state.get(table.name);
    if (seen === 'done') return;
    if (seen === 'visiting')
      throw new Error(`foreign keys form a cycle: ${[...path, table.name].join(' -> ')}`);
    state.set(table.name, 'visiting');
    for (const parent of [...table.parents].sort()) {
      const referenced = byName.get(parent);
      if (referenced && referenced.name !== table.name) visit(referenced, [...path, table.name]);
    }
    state.set(table.name, 'done');
    ordered.push(table);
  };
  for (const table of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(table, []);
  return ordered;
}
