import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '@eos/common';
import { ShardRouter, parseShardMap } from '@eos/sharding';
import { AppProcess, freePort } from '../load/app.process';
import { CheckoutRequests } from '../checkout/checkout-request';
import { CustomerPool } from '../checkout/customer-pool';
import { CHAOS_USAGE, parseChaosOptions, type ChaosOptions } from './chaos-options';
import { chaosTable } from './chaos-report';
import { CHAOS_SCENARIOS, PG_LATENCY_MS, REDIS_LATENCY_MS } from './chaos-scenarios';
import { ChaosStack } from './chaos-stack';
import { EventLedger } from './event-ledger';
import { runScenario } from './scenario-runner';
import type { ScenarioResult } from './scenario-result';
import { ShardAudit } from './shard-audit';
import { Teardown } from './teardown';

// dist/bench/chaos/main.js -> the repository root.
const REPO_ROOT = resolve(__dirname, '../../..');
const RESULTS_DIR = join(REPO_ROOT, 'bench/results');
const CUSTOMERS = 2400;
// Every third created order is paid at once: payments and the merchant feed are exercised too.
const PAY_EVERY = 3;

function log(line: string): void {
  console.error(`chaos: ${line}`);
}

async function main(options: ChaosOptions, teardown: Teardown): Promise<boolean> {
  const startedAt = new Date();
  const stem = `chaos-${startedAt.toISOString().replace(/[:.]/g, '-')}`;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const config = loadConfig();

  const stack = await ChaosStack.start(config, teardown, log);
  const ledger = await EventLedger.open(stack.rabbitmq.url);
  teardown.add('event ledger', () => ledger.close());
  const audit = new ShardAudit(stack.directShardMap);
  teardown.add('audit pools', () => audit.close());

  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const appLog = join(RESULTS_DIR, `${stem}.forward-order.log`);
  log('starting forward-order (checkout, outbox relay, merchant projector) behind the fault proxies');
  const app = await AppProcess.start({
    repoRoot: REPO_ROOT,
    entry: 'dist/apps/forward-order/src/main.js',
    name: 'forward-order',
    env: { ...stack.appEnv(), FORWARD_PORT: String(port) },
    healthUrl: appUrl,
    logFile: appLog,
  });
  teardown.add('forward-order', () => app.stop());

  const router = new ShardRouter(parseShardMap(JSON.stringify(stack.appShardMap)));
  const requests = new CheckoutRequests(CustomerPool.create(config.JWT_SECRET, CUSTOMERS));
  const scenarios = CHAOS_SCENARIOS.filter(
    (scenario) => options.only.length === 0 || options.only.includes(scenario.name),
  );
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    log(`scenario ${scenario.name}`);
    const result = await runScenario(scenario, {
      stack,
      appUrl,
      requests,
      router,
      ledger,
      audit,
      ratePerSecond: options.rate,
      clientTimeoutMs: options.clientTimeoutMs,
      payEvery: PAY_EVERY,
      webhookSecret: config.PAYMENT_WEBHOOK_SECRET,
      phases: {
        baselineMs: options.baselineSeconds * 1000,
        faultMs: options.faultSeconds * 1000,
        recoveryMs: options.recoverySeconds * 1000,
        drainMs: options.drainSeconds * 1000,
        steadyMs: 60_000,
      },
      log,
    });
    results.push(result);
    log(
      `  ${result.holds ? 'holds' : 'BROKEN'}: ${result.succeeded}/${result.sent} ok, lost ${result.ordersLost}, ` +
        `events lost ${result.eventsLost}/${result.eventsExpected}, applied twice ${result.appliedTwice}, ` +
        `errors outside ${result.errorsOutsideFailedShard}, recovered in ${String(result.recoverMs)} ms`,
    );
  }

  const report = {
    suite: 'chaos',
    startedAt: startedAt.toISOString(),
    options,
    faults: { postgresLatencyMs: PG_LATENCY_MS, redisLatencyMs: REDIS_LATENCY_MS },
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
    shardMap: stack.appShardMap.user,
    scenarios: results,
    holds: results.every((result) => result.holds),
  };
  const path = join(RESULTS_DIR, `${stem}.json`);
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    [
      `chaos: ${results.length} scenarios under ${options.rate} checkouts/s (${report.startedAt}); ` +
        `${options.baselineSeconds} s before each fault, ${options.faultSeconds} s of fault, ${options.recoverySeconds} s after`,
      '',
      chaosTable(results),
      '',
      report.holds ? 'every scenario held its zeros' : 'some scenario broke a zero (see NO above)',
      `results: ${path}`,
      `app log: ${appLog}`,
    ].join('\n'),
  );
  return report.holds;
}

function run(): void {
  let options: ChaosOptions;
  try {
    options = parseChaosOptions(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(CHAOS_USAGE);
    process.exit(2);
  }
  const teardown = new Teardown();
  // Nothing the suite started may outlive it: not on an error, not on Ctrl-C.
  process.once('exit', () => teardown.runSync());
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      teardown.runSync();
      process.exit(130);
    }
    stopping = true;
    log(`${signal}: stopping and cleaning up`);
    void teardown.run(log).finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  main(options, teardown)
    .then(
      async (holds) => {
        await teardown.run(log);
        process.exit(holds ? 0 : 1);
      },
      async (error: unknown) => {
        console.error(`chaos: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        await teardown.run(log);
        process.exit(1);
      },
    )
    .catch(() => process.exit(1));
}

run();
