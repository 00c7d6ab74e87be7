import type { SqlClient } from './sql-client';

/** Which store serves old clients. Reads switch first; writes last, and only writes cannot be undone. */
export interface CutoverFlags {
  readonly reads: boolean;
  readonly writes: boolean;
}

export interface BackfillCheckpoint {
  /** The highest old id copied so far; the next batch starts above it. */
  readonly after: string;
  /**
   * The highest old id when the backfill started (null before): orders above it were written after
   * change capture was installed, so the relay copies them and the backfill need not chase them.
   */
  readonly upTo: string | null;
  readonly copied: number;
  readonly rejected: number;
  readonly done: boolean;
}

export const NO_CUTOVER: CutoverFlags = { reads: false, writes: false };
export const BACKFILL_START: BackfillCheckpoint = {
  after: '0',
  upTo: null,
  copied: 0,
  rejected: 0,
  done: false,
};

const UNDEFINED_TABLE = '42P01';

/** The migration's small key -> JSON state table in the catalog database (legacy_migration_state). */
export class LegacyMigrationStateRepository {
  /** The cut-over flags; all off when no migration ever ran here (the table does not exist yet). */
  async cutover(client: SqlClient): Promise<CutoverFlags> {
    try {
      const value = await this.read<CutoverFlags>(client, 'cutover');
      return { ...NO_CUTOVER, ...value };
    } catch (error) {
      if ((error as { code?: string }).code === UNDEFINED_TABLE) return NO_CUTOVER;
      throw error;
    }
  }

  async setCutover(client: SqlClient, flags: CutoverFlags): Promise<void> {
    await this.write(client, 'cutover', flags);
  }

  async backfill(client: SqlClient): Promise<BackfillCheckpoint> {
    return { ...BACKFILL_START, ...(await this.read<BackfillCheckpoint>(client, 'backfill')) };
  }

  async setBackfill(client: SqlClient, checkpoint: BackfillCheckpoint): Promise<void> {
    await this.write(client, 'backfill', checkpoint);
  }

  private async read<T>(client: SqlClient, key: string): Promise<Partial<T>> {
    const { rows } = await client.query<{ value: Partial<T> }>(
      'SELECT value FROM legacy_migration_state WHERE key = $1',
      [key],
    );
    return rows[0]?.value ?? {};
  }

  private async write(client: SqlClient, key: string, value: object): Promise<void> {
    await client.query(
      `INSERT INTO legacy_migration_state (key, value, updated_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [key, JSON.stringify(value)],
    );
  }
}
