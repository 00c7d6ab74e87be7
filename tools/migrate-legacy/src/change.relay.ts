import type { PoolClient } from 'pg';
import type { LegacyOrderCopier } from './legacy-order.copier';
import type { MigrationContext } from './migration.context';
import { MAX_BATCH_ATTEMPTS, isRetryable } from './retryable-error';

export interface DrainResult {
  readonly changes: number;
  readonly orders: number;
  readonly written: number;
  readonly deleted: number;
  readonly rejected: number;
}

/**
 * Drains the change table of the legacy database (filled by the capture triggers) into the
 * shards. A change row is deleted in the same legacy transaction that copied its order, after the
 * shard writes committed: a crash in between copies the order again, which is harmless. Rows are
 * taken with SKIP LOCKED, not by a checkpoint on `seq`, so a change whose transaction commits
 * late (its seq taken early) is never skipped, and several relays may run side by side.
 */
export class ChangeRelay {
  constructor(
    private readonly context: MigrationContext,
    private readonly copier: LegacyOrderCopier,
  ) {}

  /** Copies one batch of changed orders; 0 changes means the table was empty (for this relay). */
  async drainBatch(batch: number): Promise<DrainResult> {
    for (let attempt = 1; ; attempt += 1) {
      const client = await this.context.legacy.connect();
      try {
        return await this.copyBatch(client, batch);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        if (!isRetryable(error) || attempt >= MAX_BATCH_ATTEMPTS) throw error;
        this.context.log(`relay batch retried after ${(error as Error).message}`);
      } finally {
        client.release();
      }
    }
  }

  /** Drains until the change table is empty. */
  async drain(batch: number): Promise<DrainResult> {
    const total = { changes: 0, orders: 0, written: 0, deleted: 0, rejected: 0 };
    for (;;) {
      const result = await this.drainBatch(batch);
      if (result.changes === 0) return total;
      total.changes += result.changes;
      total.orders += result.orders;
      total.written += result.written;
      total.deleted += result.deleted;
      total.rejected += result.rejected;
    }
  }

  async backlog(): Promise<number> {
    const { rows } = await this.context.legacy.query<{ count: string }>(
      'SELECT count(*) AS count FROM eos_order_changes',
    );
    return Number(rows[0].count);
  }

  private async copyBatch(client: PoolClient, batch: number): Promise<DrainResult> {
    await client.query('BEGIN');
    const { rows } = await client.query<{ seq: string; order_id: string }>(
      `SELECT seq::text AS seq, order_id::text AS order_id FROM eos_order_changes
       ORDER BY eos_order_changes.seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [batch],
    );
    if (rows.length === 0) {
      await client.query('COMMIT');
      return { changes: 0, orders: 0, written: 0, deleted: 0, rejected: 0 };
    }
    const orderIds = [...new Set(rows.map((row) => row.order_id))];
    const copied = await this.copier.copy(client, orderIds);
    await client.query('DELETE FROM eos_order_changes WHERE seq = ANY($1::bigint[])', [
      rows.map((row) => row.seq),
    ]);
    await client.query('COMMIT');
    return { changes: rows.length, orders: orderIds.length, ...copied };
  }
}
