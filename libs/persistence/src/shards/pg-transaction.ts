import type { Pool, PoolClient } from 'pg';

/** What can run BEGIN, COMMIT and ROLLBACK: a pg Client or PoolClient (never a Pool: one connection). */
export interface TransactionConnection {
  query(text: string): Promise<unknown>;
}

/** Runs `work` between BEGIN and COMMIT on one connection; ROLLBACK if it throws. */
export async function inTransaction<T>(client: TransactionConnection, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Runs `work` on a connection of `pool`, released afterwards whatever happens. */
export async function withPoolClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await work(client);
  } finally {
    client.release();
  }
}

/** One transaction on a connection of `pool`. */
export function inPoolTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return withPoolClient(pool, (client) => inTransaction(client, () => work(client)));
}
