import type { QueryResultRow } from 'pg';

/** What the legacy-migration repositories need of a pg Pool or a checked-out client. */
export interface SqlClient {
  query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}
