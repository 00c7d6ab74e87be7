import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '@eos/common';
import { shardMapFrom } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import { connectionBudgetWarnings } from '../checkout/connection-budget';
import { renderTimelineChart } from '../load/svg-chart';
import { runCheckoutScenario } from './checkout.scenario';
import { runMixScenario } from './mix.scenario';
import { runReadsScenario } from './reads.scenario';
import { runScaleScenario } from './scale.scenario';
import { runSoakScenario } from './soak.scenario';
import { SuiteContext } from './suite-context';
import {
  HelpRequested,
  SUITE_USAGE,
  parseSuiteOptions,
  type ScenarioName,
  type SuiteOptions,
} from './suite-options';
import { formatPlan, planSuite } from './suite-plan';
import { formatErrors, formatPhaseTable, formatScenario, type ScenarioReport } from './suite-report';

// dist/bench/suite/main.js -> the repository root.
const REPO_ROOT = resolve(__dirname, '../../..');
const RESULTS_DIR = join(REPO_ROOT, 'bench/results');

const RUNNERS: Record<ScenarioName, (context: SuiteContext) => Promise<ScenarioReport>> = {
  checkout: runCheckoutScenario,
  reads: runReadsScenario,
  mix: runMixScenario,
  soak: runSoakScenario,
  scale: runScaleScenario,
};

async function main(options: SuiteOptions): Promise<boolean> {
  const startedAt = new Date();
  const stem = `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}`;
  mkdirSync(RESULTS_DIR, { recursive: true });
  console.log(formatPlan(planSuite(options)));
  const config = loadConfig();
  const router = new ShardRouter(shardMapFrom(config));
  const context = SuiteContext.create(options, config, router, {
    repoRoot: REPO_ROOT,
    resultsDir: RESULTS_DIR,
    stem,
  });
  for (const warning of await connectionBudgetWarnings(
    router,
    config.CATALOG_DATABASE_URL,
    config.PG_POOL_SIZE,
  )) {
    context.progress(`warning: ${warning}`);
  }
  const stopOnSignal = (): void => {
    // Apps started later (scale, mix helpers) are killed by their own exit hooks.
    void context.stopMainApp().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  const reports: ScenarioReport[] = [];
  const failures: { scenario: ScenarioName; error: string }[] = [];
  try {
    for (const scenario of options.scenarios) {
      const scenarioStart = Date.now();
      try {
        reports.push(await RUNNERS[scenario](context));
        context.progress(`${scenario} done in ${Math.round((Date.now() - scenarioStart) / 1000)} s`);
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        context.progress(`${scenario} failed: ${message}`);
        failures.push({ scenario, error: message });
      }
    }
  } finally {
    await context.stopMainApp();
  }

  const chartPath = join(RESULTS_DIR, `${stem}.svg`);
  writeFileSync(
    chartPath,
    renderTimelineChart(
      `npm run bench ${startedAt.toISOString()}: throughput and latency per second`,
      context.phases.map((phase) => ({ title: phase.name, windows: phase.traffic.timeline })),
    ),
  );
  const report = {
    suite: 'bench',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    options,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      platform: `${platform()} ${release()}`,
      node: process.version,
    },
    setup: {
      shardDatabases: router.databases(),
      pgPoolSizePerDatabase: config.PG_POOL_SIZE,
      logs: `${join(RESULTS_DIR, stem)}.*.log`,
      chart: chartPath,
    },
    scenarios: reports,
    failures,
  };
  const jsonPath = join(RESULTS_DIR, `${stem}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);

  console.log(
    [
      '',
      `npm run bench (${report.startedAt}); machine: ${report.machine.cpus} x ${report.machine.cpuModel}, ` +
        `${report.machine.memoryGiB} GiB, node ${report.machine.node}; app, Postgres, Redis, RabbitMQ and the load share it`,
      `latency in ms; app/pg/redis/rmq/gen: cores used by the app process(es), every Postgres process,`,
      `redis-server, RabbitMQ (beam.smp) and this load generator; RSS: the app's peak (all its processes)`,
      '',
      formatPhaseTable(context.phases),
      '',
      ...reports.map((scenario) => `${formatScenario(scenario)}\n`),
      formatErrors(context.phases),
      ...failures.map((failure) => `FAILED ${failure.scenario}: ${failure.error.split('\n')[0]}`),
      '',
      `results: ${jsonPath}`,
      `chart:   ${chartPath}`,
    ].join('\n'),
  );
  return failures.length === 0;
}

let options: SuiteOptions;
try {
  options = parseSuiteOptions(process.argv.slice(2));
} catch (error) {
  if (error instanceof HelpRequested) {
    console.log(SUITE_USAGE);
    process.exit(0);
  }
  console.error(`${error instanceof Error ? error.message : String(error)}\n${SUITE_USAGE}`);
  process.exit(2);
}
main(options).then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
