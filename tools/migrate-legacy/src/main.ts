import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@eos/common';
import { LegacyMigrationStateRepository, shardMapFrom } from '@eos/persistence';
import { backfillPhase } from './backfill.phase';
import { cutoverPhase, rollbackPhase } from './cutover.phase';
import { dualWritePhase } from './dual-write.phase';
import { seedLegacyOrders } from './legacy-seed';
import { openMigration, type MigrationContext } from './migration.context';
import { batchOptionsProblem } from './throttle.plan';
import { formatVerifyReport, verifyPhase } from './verify.phase';

const USAGE = `usage: npm run migrate-legacy -- <phase> [options]
  seed --orders <n> [--users <n>] [--user-base <id>] [--merchants <n>] [--merchant-base <id>]
                        create the sample legacy schema (LEGACY_DATABASE_URL) and add generated orders
  dual-write [--once] [--batch <n>]
                        install change capture on the legacy tables and relay every legacy write into
                        the shards; runs until stopped or cut over (--once: drain the backlog and exit)
  backfill [--batch <n>] [--rate <orders/s>] [--restart]
                        copy the legacy history in checkpointed batches (resumes from its checkpoint)
  verify                compare counts and per-shard checksums of orders and lines; list each
                        difference (exit 2 when there are any)
  cutover reads|writes  serve old ids from the shards; then fence the legacy tables and make eos the writer
  rollback              serve old ids from the legacy store again (only before \`cutover writes\`)
  status                show the checkpoint, the cut-over flags, the relay backlog and rejected orders`;

class UsageError extends Error {}

function integer(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(value))
    throw new Error(`--${name} must be a whole number, got "${text}"`);
  return value;
}

function rate(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--rate must be a positive number of orders per second, got "${text}"`);
  return value;
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        orders: { type: 'string' },
        users: { type: 'string' },
        'user-base': { type: 'string' },
        merchants: { type: 'string' },
        'merchant-base': { type: 'string' },
        batch: { type: 'string' },
        rate: { type: 'string' },
        once: { type: 'boolean', default: false },
        restart: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
}

function stopSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller.signal;
}

async function status(context: MigrationContext): Promise<void> {
  const state = new LegacyMigrationStateRepository();
  const [flags, backfill] = await Promise.all([
    state.cutover(context.catalog),
    state.backfill(context.catalog),
  ]);
  const { rows: rejects } = await context.catalog.query<{ count: string }>(
    'SELECT count(*) AS count FROM legacy_order_rejects',
  );
  const { rows: mapped } = await context.catalog.query<{ count: string }>(
    'SELECT count(*) AS count FROM legacy_order_ids',
  );
  const backlog = await context.legacy
    .query<{ count: string }>('SELECT count(*) AS count FROM eos_order_changes')
    .then((result) => result.rows[0].count)
    .catch(() => 'n/a (dual-write not installed)');
  context.log(
    [
      `backfill: ${backfill.done ? 'done' : 'not done'}, ${backfill.copied} copied, checkpoint old id ${backfill.after}`,
      `mapped old ids: ${mapped[0].count}; rejected orders: ${rejects[0].count}; relay backlog: ${backlog}`,
      `cutover: reads ${flags.reads ? 'sharded' : 'legacy'}, writes ${flags.writes ? 'sharded (legacy fenced)' : 'legacy'}`,
    ].join('\n'),
  );
}

async function main(argv: string[]): Promise<void> {
  const [phase, ...rest] = argv;
  if (phase === undefined) throw new UsageError();
  const { values, positionals } = parse(rest);
  const config = loadConfig();
  if (phase === 'seed') {
    const orders = integer(values.orders, 'orders', 0);
    if (orders < 1) throw new Error('--orders must be at least 1');
    const started = Date.now();
    const seeded = await seedLegacyOrders(config.LEGACY_DATABASE_URL, {
      orders,
      users: integer(values.users, 'users', 50_000),
      userBase: integer(values['user-base'], 'user-base', 0),
      merchants: integer(values.merchants, 'merchants', 1000),
      merchantBase: integer(values['merchant-base'], 'merchant-base', 0),
    });
    console.log(
      `migrate-legacy: seeded ${seeded.orders} orders with ${seeded.items} items in ${Date.now() - started} ms`,
    );
    return;
  }
  const batchOptions = { batch: integer(values.batch, 'batch', 2000), rate: rate(values.rate) };
  const problem = batchOptionsProblem(batchOptions);
  if (problem) throw new Error(problem);
  const known = ['dual-write', 'backfill', 'verify', 'cutover', 'rollback', 'status'];
  if (!known.includes(phase)) throw new UsageError();
  if (phase === 'cutover' && positionals[0] !== 'reads' && positionals[0] !== 'writes')
    throw new UsageError();
  const context = await openMigration({
    legacyUrl: config.LEGACY_DATABASE_URL,
    catalogUrl: config.CATALOG_DATABASE_URL,
    shardMap: shardMapFrom(config),
    redisUrl: config.REDIS_URL,
  });
  try {
    switch (phase) {
      case 'dual-write':
        await dualWritePhase(context, { batch: batchOptions.batch, once: values.once, signal: stopSignal() });
        return;
      case 'backfill':
        await backfillPhase(context, { ...batchOptions, restart: values.restart, signal: stopSignal() });
        return;
      case 'verify': {
        const report = await verifyPhase(context);
        console.log(formatVerifyReport(report));
        if (report.differences.length > 0) process.exitCode = 2;
        return;
      }
      case 'cutover':
        await cutoverPhase(context, positionals[0] as 'reads' | 'writes', batchOptions.batch);
        return;
      case 'rollback':
        await rollbackPhase(context);
        return;
      default:
        await status(context);
    }
  } finally {
    await context.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) console.error(USAGE);
  else if (error instanceof ConfigError) console.error(`migrate-legacy: ${error.message}`);
  else console.error(`migrate-legacy: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
