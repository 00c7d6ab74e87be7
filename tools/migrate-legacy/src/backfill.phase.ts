import {
  BACKFILL_START,
  LegacyMigrationStateRepository,
  LegacyOrderReader,
  type BackfillCheckpoint,
} from '@eos/persistence';
import { CaptureInstaller } from './capture.installer';
import { LegacyOrderCopier, type CopyResult } from './legacy-order.copier';
import { withOrderIds, type MigrationContext } from './migration.context';
import { MAX_BATCH_ATTEMPTS, isRetryable } from './retryable-error';
import { nextCheckpoint, pauseAfterBatchMs, type BatchOptions } from './throttle.plan';

export interface BackfillOptions extends BatchOptions {
  /** Starts over from the first old id (a full re-copy; unchanged orders are not rewritten). */
  readonly restart?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * `backfill`: copies the legacy history in batches by ascending old id (keyset), checkpointing the
 * last old id after each batch, so a stopped backfill resumes where it was. Refuses to run before
 * dual-write: a legacy write to an already-copied order would otherwise be lost.
 */
export async function backfillPhase(
  context: MigrationContext,
  options: BackfillOptions,
): Promise<BackfillCheckpoint> {
  if (!(await new CaptureInstaller(context.legacy).captureInstalled())) {
    throw new Error(
      'run `migrate-legacy dual-write` first: without change capture, writes during the backfill are lost',
    );
  }
  const state = new LegacyMigrationStateRepository();
  const reader = new LegacyOrderReader();
  let checkpoint: BackfillCheckpoint = options.restart
    ? { ...BACKFILL_START }
    : await state.backfill(context.catalog);
  if (checkpoint.done) {
    context.log(`backfill already done (${checkpoint.copied} orders copied); --restart copies again`);
    return checkpoint;
  }
  // Capture is installed (checked above) and its installation waited for every legacy writer in
  // flight, so whatever this first read does not see is captured: the relay copies it.
  const upTo = checkpoint.upTo ?? (await reader.highestId(context.legacy));
  if (checkpoint.upTo === null) {
    checkpoint = { ...checkpoint, upTo };
    await state.setBackfill(context.catalog, checkpoint);
  }
  return withOrderIds(context.redisUrl, async (ids) => {
    const copier = new LegacyOrderCopier({ ...context, ids });
    const startedAt = Date.now();
    while (!options.signal?.aborted) {
      const batchStarted = Date.now();
      const batchIds = await reader.idsAfter(context.legacy, checkpoint.after, upTo, options.batch);
      const next = nextCheckpoint(checkpoint.after, batchIds);
      let written = 0;
      let rejected = 0;
      if (!next.done) {
        const result = await copyBatch(context, copier, batchIds);
        written = result.written + result.unchanged;
        rejected = result.rejected;
      }
      checkpoint = {
        after: next.after,
        upTo,
        copied: checkpoint.copied + written,
        rejected: checkpoint.rejected + rejected,
        done: next.done,
      };
      await state.setBackfill(context.catalog, checkpoint);
      if (next.done) break;
      context.log(`backfill: ${checkpoint.copied} orders copied, up to old id ${checkpoint.after}`);
      const pause = pauseAfterBatchMs(batchIds.length, Date.now() - batchStarted, options.rate);
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    }
    const seconds = (Date.now() - startedAt) / 1000;
    context.log(
      `backfill ${checkpoint.done ? 'done' : 'paused'}: ${checkpoint.copied} orders copied, ${checkpoint.rejected} rejected (see legacy_order_rejects), ${seconds.toFixed(1)} s this run`,
    );
    return checkpoint;
  });
}

/** One batch in one legacy transaction (its FOR SHARE locks last until the shard writes commit). */
async function copyBatch(
  context: MigrationContext,
  copier: LegacyOrderCopier,
  batchIds: readonly string[],
): Promise<CopyResult> {
  for (let attempt = 1; ; attempt += 1) {
    const client = await context.legacy.connect();
    try {
      await client.query('BEGIN');
      const result = await copier.copy(client, batchIds);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (!isRetryable(error) || attempt >= MAX_BATCH_ATTEMPTS) throw error;
      context.log(`backfill batch retried after ${(error as Error).message}`);
    } finally {
      client.release();
    }
  }
}
