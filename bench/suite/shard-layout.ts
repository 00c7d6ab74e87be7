import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { LOGICAL_SHARDS } from '@eos/sharding';

/** The bench's own shard databases for `count` databases: eos_bench_<count>db_0, _1, ... */
export function benchDatabaseNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `eos_bench_${count}db_${i}`);
}

/**
 * An EOS_SHARD_MAP spreading the 120 logical shards of each dimension evenly over `count` databases
 * on the server of `postgresUrl`, in contiguous ranges. The merchant ranges are shifted by one
 * database against the user ranges (as the default map puts them), so an order's user and merchant
 * rows usually land on different databases, as they do in production.
 */
export function benchShardMapJson(postgresUrl: string, count: number): string {
  if (!Number.isInteger(count) || count < 1 || count > LOGICAL_SHARDS) {
    throw new RangeError(`database count must be an integer from 1 to ${LOGICAL_SHARDS}, got ${count}`);
  }
  const names = benchDatabaseNames(count);
  const databases: Record<string, string> = {};
  for (const name of names) {
    const url = new URL(postgresUrl);
    url.pathname = `/${name}`;
    databases[name] = url.toString();
  }
  const user: Record<string, string> = {};
  const merchant: Record<string, string> = {};
  for (let i = 0; i < count; i += 1) {
    const first = Math.floor((i * LOGICAL_SHARDS) / count);
    const last = Math.floor(((i + 1) * LOGICAL_SHARDS) / count) - 1;
    user[`${first}-${last}`] = names[i];
    merchant[`${first}-${last}`] = names[(i + 1) % count];
  }
  return JSON.stringify({ databases, user, merchant });
}

/**
 * Creates and migrates the databases of `shardMapJson` with the repository's own setup tool
 * (`eos setup` with EOS_SHARD_MAP set), which is idempotent: existing databases are kept.
 */
export async function provisionShardMap(
  repoRoot: string,
  shardMapJson: string,
  logFile: string,
): Promise<void> {
  const log = createWriteStream(logFile);
  try {
    const child = spawn(process.execPath, [join(repoRoot, 'dist/tools/cli/src/main.js'), 'setup'], {
      cwd: repoRoot,
      env: { ...process.env, EOS_SHARD_MAP: shardMapJson },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0)
      throw new Error(`eos setup for the bench shard map exited with ${String(code)}; see ${logFile}`);
  } finally {
    await new Promise<void>((resolve) => log.end(resolve));
  }
}
