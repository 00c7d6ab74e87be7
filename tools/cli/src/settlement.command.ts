import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EosConfig } from '@eos/common';
import { SettlementReport, parseSettlementDay, settlementCsv } from '@eos/ordering';
import { SettlementRepository, ShardDataSources, shardMapFrom } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import { UsageError } from './usage.error';

export const DEFAULT_SETTLEMENT_DIR = './settlements';

/**
 * `eos settlement --date YYYY-MM-DD [--out <dir>]`: writes `<dir>/settlement-YYYY-MM-DD.csv`, per
 * merchant the count and sums of the orders completed that UTC day, read from the user shards, the
 * refunds of those orders that the merchant bears, and what is payable to the merchant net of them.
 * The file appears whole or not at all (written aside, then renamed). Returns its path.
 */
export async function settlementCommand(config: EosConfig, args: string[]): Promise<string> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { date: { type: 'string' }, out: { type: 'string', default: DEFAULT_SETTLEMENT_DIR } },
    }));
  } catch {
    throw new UsageError();
  }
  if (values.date === undefined) throw new UsageError();
  const day = parseSettlementDay(values.date);
  const map = shardMapFrom(config);
  const sources = new ShardDataSources(map, {
    poolSize: 2,
    // A day of a large shard can take longer than a request may; still bounded.
    statementTimeoutMs: Math.max(config.PG_STATEMENT_TIMEOUT_MS, 60_000),
    connectTimeoutMs: config.PG_CONNECT_TIMEOUT_MS,
    applicationName: 'eos-cli-settlement',
  });
  await sources.initialize();
  try {
    const lines = await new SettlementReport(new SettlementRepository(sources), new ShardRouter(map)).lines(
      day,
    );
    const dir = resolve(values.out);
    await mkdir(dir, { recursive: true });
    const path = join(dir, `settlement-${day.date}.csv`);
    const partial = `${path}.${process.pid}.partial`;
    await writeFile(partial, settlementCsv(lines), 'utf8');
    await rename(partial, path);
    const orders = lines.reduce((sum, line) => sum + line.orders, 0);
    console.log(`${path}: ${lines.length} merchant lines, ${orders} orders completed on ${day.date}`);
    return path;
  } finally {
    await sources.destroy();
  }
}
