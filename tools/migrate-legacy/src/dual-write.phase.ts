import { LegacyMigrationStateRepository } from '@eos/persistence';
import { CaptureInstaller } from './capture.installer';
import { ChangeRelay, type DrainResult } from './change.relay';
import { LegacyOrderCopier } from './legacy-order.copier';
import { withOrderIds, type MigrationContext } from './migration.context';

export interface DualWriteOptions {
  readonly batch: number;
  /** Drain what is there and return, instead of relaying until stopped or cut over. */
  readonly once: boolean;
  /** Pause between polls of an empty change table. */
  readonly pollMs?: number;
  /** Ends the loop (SIGINT/SIGTERM in the CLI). */
  readonly signal?: AbortSignal;
}

/**
 * `dual-write`: installs the capture triggers (idempotent), then relays the change table into the
 * shards. Without --once it is a long-running process that an operator runs beside the legacy
 * system (one or more instances) until `cutover writes`: after the write fence nothing new is
 * captured, and the relay stops once the table is empty.
 */
export async function dualWritePhase(
  context: MigrationContext,
  options: DualWriteOptions,
): Promise<DrainResult> {
  const flags = await new LegacyMigrationStateRepository().cutover(context.catalog);
  const capture = new CaptureInstaller(context.legacy);
  if (!flags.writes) {
    await capture.installCapture();
    context.log('change capture installed on orders and order_items');
  }
  return withOrderIds(context.redisUrl, async (ids) => {
    const relay = new ChangeRelay(context, new LegacyOrderCopier({ ...context, ids }));
    if (options.once) {
      const drained = await relay.drain(options.batch);
      context.log(
        `relay drained ${drained.changes} changes of ${drained.orders} orders: ${drained.written} written, ${drained.deleted} deleted, ${drained.rejected} rejected`,
      );
      return drained;
    }
    return relayUntilStopped(context, relay, options);
  });
}

async function relayUntilStopped(
  context: MigrationContext,
  relay: ChangeRelay,
  options: DualWriteOptions,
): Promise<DrainResult> {
  const state = new LegacyMigrationStateRepository();
  const total = { changes: 0, orders: 0, written: 0, deleted: 0, rejected: 0 };
  let lastReport = Date.now();
  context.log('relaying legacy writes (Ctrl-C to stop)');
  while (!options.signal?.aborted) {
    const result = await relay.drainBatch(options.batch);
    total.changes += result.changes;
    total.orders += result.orders;
    total.written += result.written;
    total.deleted += result.deleted;
    total.rejected += result.rejected;
    if (Date.now() - lastReport > 10_000) {
      context.log(`relay: ${total.changes} changes so far, backlog ${await relay.backlog()}`);
      lastReport = Date.now();
    }
    if (result.changes > 0) continue;
    if ((await state.cutover(context.catalog)).writes) {
      context.log('writes are cut over and the change table is empty: relay stops');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
  }
  return total;
}
