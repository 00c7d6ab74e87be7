import type { EosConfig } from '@eos/common';
import {
  MoveVerificationError,
  ShardMapStore,
  ShardMover,
  shardMapFrom,
  type SchemaReport,
} from '@eos/persistence';
import { UsageError } from './usage.error';

function printReports(reports: readonly SchemaReport[]): number {
  let differences = 0;
  for (const report of reports) {
    console.log(`${report.schema} (${report.from} vs ${report.to}):`);
    for (const table of report.comparisons) {
      differences += table.differenceCount;
      const status = table.equal ? 'ok' : `${table.differenceCount} difference(s)`;
      console.log(
        `  ${table.table.padEnd(24)} ${String(table.sourceRows).padStart(8)} / ${String(table.targetRows).padEnd(8)} ${status}`,
      );
      for (const line of table.differences) console.log(`      ${line}`);
    }
  }
  console.log(`verify: ${differences} difference(s)`);
  return differences;
}

function shardArgument(value: string | undefined): number {
  if (value === undefined || !/^(0|[1-9][0-9]*)$/.test(value)) throw new UsageError();
  return Number(value);
}

function optionValue(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at === -1) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  args.splice(at, 2);
  return value;
}

/**
 * `eos reshard move <shard> <database> [--url <postgres url>]`, `eos reshard verify <shard>
 * [--against <database>]`, `eos reshard status`. See the runbook in docs/resharding.md.
 */
export async function reshardCommand(config: EosConfig, argv: string[]): Promise<void> {
  const args = [...argv];
  const [sub] = args.splice(0, 1);
  const mover = new ShardMover({
    catalogUrl: config.CATALOG_DATABASE_URL,
    store: new ShardMapStore(shardMapFrom(config)),
    log: (line) => console.log(`reshard: ${line}`),
  });
  try {
    switch (sub) {
      case 'move': {
        const url = optionValue(args, '--url');
        const shard = shardArgument(args[0]);
        const target = args[1];
        if (target === undefined || args.length !== 2) throw new UsageError();
        if (url !== undefined) await mover.declare(target, url);
        const started = Date.now();
        try {
          const report = await mover.move(shard, target);
          console.log(
            `reshard: moved shard ${shard} to ${target} in ${Date.now() - started} ms: ${report.copiedRows} rows copied, ` +
              `${report.caughtUpChanges} changes caught up, shard map version ${report.version}`,
          );
          console.log(`reshard: writes to shard ${shard} were fenced for ${report.fenceMs} ms`);
          printReports(report.schemas);
        } catch (error) {
          if (error instanceof MoveVerificationError) printReports(error.reports);
          throw error;
        }
        return;
      }
      case 'verify': {
        const against = optionValue(args, '--against');
        const shard = shardArgument(args[0]);
        if (args.length !== 1) throw new UsageError();
        const differences = printReports(await mover.verify(shard, against));
        if (differences > 0) process.exitCode = 2;
        return;
      }
      case 'status': {
        if (args.length !== 0) throw new UsageError();
        const { version, map } = await mover.currentMap();
        console.log(`shard map version ${version}`);
        for (const database of Object.keys(map.databases)) {
          const user = map.user.filter((name) => name === database).length;
          const merchant = map.merchant.filter((name) => name === database).length;
          console.log(`  ${database.padEnd(24)} ${user} user shard(s), ${merchant} merchant shard(s)`);
        }
        for (const fence of await mover.fences(map)) {
          console.log(
            `  old copy: ${fence.schema} on ${fence.database}, fenced ${fence.fencedAt.toISOString()} (moved to ${fence.target})`,
          );
        }
        return;
      }
      default:
        throw new UsageError();
    }
  } finally {
    await mover.close();
  }
}
