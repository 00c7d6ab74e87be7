import { parseArgs } from 'node:util';
import type { EosConfig } from '@eos/common';
import {
  DimensionReconciler,
  ShardDataSources,
  shardMapFrom,
  totalDrift,
  type ReconciliationReport,
} from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import { UsageError } from './usage.error';

function time(text: string | undefined, name: string): Date {
  if (text === undefined) throw new UsageError();
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) throw new Error(`--${name} must be an ISO-8601 time, got "${text}"`);
  return at;
}

export function formatReconciliation(report: ReconciliationReport, repair: boolean): string {
  const lines = [
    `orders created in [${report.from}, ${report.to}): ${report.userOrders} in the user dimension, ${report.merchantOrders} in the merchant dimension`,
    `drift: ${totalDrift(report)} (missing ${report.missing}, mismatched ${report.mismatched}, orphaned ${report.orphaned})`,
  ];
  if (repair)
    lines.push(`repaired: ${report.repaired} merchant rows rewritten from the user dimension or deleted`);
  for (const drift of report.samples)
    lines.push(`  ${drift.kind.padEnd(10)} ${drift.orderId}  ${drift.detail}`);
  if (!repair && totalDrift(report) > 0) {
    lines.push('(orders changed in the last seconds may still be on their way; run again, or add --repair)');
  }
  return lines.join('\n');
}

/**
 * `eos reconcile --from <ISO> --to <ISO> [--repair]`: compares the merchant dimension with the user
 * dimension (the source of truth) order by order over the orders created in [from, to); prints
 * the drift; with --repair rewrites drifted merchant rows from the user dimension. Exits 2 when
 * drift remains unrepaired.
 */
export async function reconcileCommand(config: EosConfig, args: string[]): Promise<ReconciliationReport> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        repair: { type: 'boolean', default: false },
      },
    }));
  } catch {
    throw new UsageError();
  }
  const from = time(values.from, 'from');
  const to = time(values.to, 'to');
  if (from >= to) throw new Error('--from must be before --to');
  const map = shardMapFrom(config);
  const sources = new ShardDataSources(map, {
    poolSize: 8,
    statementTimeoutMs: Math.max(config.PG_STATEMENT_TIMEOUT_MS, 60_000),
    connectTimeoutMs: config.PG_CONNECT_TIMEOUT_MS,
    applicationName: 'eos-cli-reconcile',
  });
  await sources.initialize();
  try {
    const report = await new DimensionReconciler(sources, new ShardRouter(map)).reconcile({
      from,
      to,
      repair: values.repair,
    });
    console.log(formatReconciliation(report, values.repair));
    if (!values.repair && totalDrift(report) > 0) process.exitCode = 2;
    return report;
  } finally {
    await sources.destroy();
  }
}
