import { LegacyMigrationStateRepository, type CutoverFlags } from '@eos/persistence';
import { CaptureInstaller } from './capture.installer';
import { ChangeRelay } from './change.relay';
import { LegacyOrderCopier } from './legacy-order.copier';
import { withOrderIds, type MigrationContext } from './migration.context';

export type CutoverStep = 'reads' | 'writes';

/**
 * `cutover reads`: old ids are served from the shards through the id mapping (forward-order reads
 * the flag on each lookup). Needs the backfill done. Undone by `rollback`.
 *
 * `cutover writes`: fences the legacy tables (a trigger refuses every write), drains the change
 * table, then records the switch; eos is the only writer from here, and the relay stops. Needs
 * reads cut over first. There is no rollback past this point: the legacy store no longer sees the
 * writes eos takes, so going back would lose them.
 */
export async function cutoverPhase(
  context: MigrationContext,
  step: CutoverStep,
  batch: number,
): Promise<CutoverFlags> {
  const state = new LegacyMigrationStateRepository();
  const flags = await state.cutover(context.catalog);
  if (step === 'reads') {
    const backfill = await state.backfill(context.catalog);
    if (!backfill.done)
      throw new Error('the backfill is not done: run `migrate-legacy backfill` (and `verify`) first');
    const next = { ...flags, reads: true };
    await state.setCutover(context.catalog, next);
    context.log('reads cut over: old ids now resolve to the sharded store through the id mapping');
    return next;
  }
  if (!flags.reads) throw new Error('cut reads over first: `migrate-legacy cutover reads`');
  const capture = new CaptureInstaller(context.legacy);
  await capture.installFence();
  context.log('legacy tables fenced: they refuse writes from now on');
  // Every write that committed before the fence is in the change table; copy what is left.
  const drained = await withOrderIds(context.redisUrl, (ids) =>
    new ChangeRelay(context, new LegacyOrderCopier({ ...context, ids })).drain(batch),
  );
  context.log(`final relay drain: ${drained.changes} changes of ${drained.orders} orders`);
  const next = { reads: true, writes: true };
  await state.setCutover(context.catalog, next);
  context.log('writes cut over: eos is the only writer; running relays stop once the change table is empty');
  return next;
}

/** `rollback`: back to the legacy path for reads. Refused once writes are cut over. */
export async function rollbackPhase(context: MigrationContext): Promise<CutoverFlags> {
  const state = new LegacyMigrationStateRepository();
  const flags = await state.cutover(context.catalog);
  if (flags.writes) {
    throw new Error(
      'writes are cut over: the legacy store no longer receives writes, so rolling back would lose every write since; roll forward instead',
    );
  }
  const next = { reads: false, writes: false };
  await state.setCutover(context.catalog, next);
  context.log(
    flags.reads
      ? 'reads rolled back: old ids are served from the legacy store again'
      : 'nothing to roll back: reads were not cut over',
  );
  return next;
}
