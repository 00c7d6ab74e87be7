import type { PoolClient, QueryConfig, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Runs a named (prepared) statement on a pooled connection of `source`: each connection parses
 * and plans the text once per name, not on every call. TypeORM's `query()` cannot name a
 * statement, so this takes the raw pg client of a pooled connection for the one query.
 * The name must identify the text exactly (schema and filter variant included).
 */
export async function runPrepared<Row extends QueryResultRow>(
  source: DataSource,
  statement: QueryConfig & { name: string },
): Promise<Row[]> {
  const runner = source.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    const result = await client.query<Row>(statement);
    return result.rows;
  } finally {
    await runner.release();
  }
}
