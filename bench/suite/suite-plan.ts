import type { ScenarioName, SuiteOptions } from './suite-options';

/** Rough seconds an app needs to start and stop, a shard layout to be provisioned, phases to settle. */
const APP_START_STOP_SECONDS = 12;
const PROVISION_SECONDS = 20;
const SETTLE_SECONDS = 1;

export interface PlannedScenario {
  readonly scenario: ScenarioName;
  readonly seconds: number;
  readonly what: string;
}

/** What the invocation will do and about how long each part takes, printed before it starts. */
export function planSuite(options: SuiteOptions): PlannedScenario[] {
  const d = options.durationSeconds;
  const runs = options.runs;
  const chosen = new Set(options.scenarios);
  const needsMainApp = options.scenarios.some((name) => name !== 'scale');
  const plan: PlannedScenario[] = [];
  // reads and soak measure the checkout rate themselves when the checkout scenario is not run.
  const referenceSeconds = chosen.has('checkout') ? 0 : runs * (d + SETTLE_SECONDS);
  let referenceTaken = false;
  const reference = (): number => {
    if (referenceTaken) return 0;
    referenceTaken = true;
    return referenceSeconds;
  };
  let startup = needsMainApp ? APP_START_STOP_SECONDS + 2 * options.warmupSeconds : 0;
  for (const scenario of options.scenarios) {
    let seconds = 0;
    let what = '';
    switch (scenario) {
      case 'checkout':
        seconds = runs * 2 * (d + SETTLE_SECONDS);
        what = `${runs} x (app ${d} s + ceiling ${d} s), ${options.connections} connections`;
        break;
      case 'reads':
        seconds = reference() + runs * 2 * (d + SETTLE_SECONDS);
        what = `${runs} x (my orders ${d} s + menu ${d} s), ${options.connections} connections`;
        break;
      case 'mix':
        seconds = options.mix.durationSeconds + (options.mix.refundWeight > 0 ? APP_START_STOP_SECONDS : 0);
        what =
          `${options.mix.users} users, spawn ${options.mix.spawnRatePerSecond}/s, wait ` +
          `${options.mix.waitMs.min}-${options.mix.waitMs.max} ms, ${options.mix.durationSeconds} s`;
        break;
      case 'soak':
        seconds =
          (options.soak.ratePerSecond === undefined ? reference() : 0) +
          options.soak.durationSeconds +
          (options.soak.ceilingDurationSeconds > 0
            ? SETTLE_SECONDS + options.soak.ceilingDurationSeconds
            : 0);
        what =
          `open model at ${options.soak.ratePerSecond === undefined ? '70% of the checkout rate' : `${options.soak.ratePerSecond}/s`}` +
          ` for ${options.soak.durationSeconds} s` +
          (options.soak.ceilingDurationSeconds > 0
            ? `, then the ceiling for ${options.soak.ceilingDurationSeconds} s`
            : '');
        break;
      case 'scale': {
        const configurations = options.scale.processes.length * options.scale.databases.length;
        seconds =
          options.scale.databases.length * PROVISION_SECONDS +
          configurations *
            (APP_START_STOP_SECONDS + options.warmupSeconds + options.scale.runs * (d + SETTLE_SECONDS));
        what =
          `processes ${options.scale.processes.join(',')} x databases ${options.scale.databases.join(',')}, ` +
          `${options.scale.runs} x ${d} s each`;
        break;
      }
    }
    plan.push({ scenario, seconds: seconds + startup, what });
    startup = 0;
  }
  return plan;
}

export function formatPlan(plan: readonly PlannedScenario[]): string {
  const total = plan.reduce((sum, part) => sum + part.seconds, 0);
  const lines = plan.map(
    (part) => `  ${part.scenario.padEnd(9)} ~${formatDuration(part.seconds).padStart(7)}  ${part.what}`,
  );
  return ['plan:', ...lines, `  total     ~${formatDuration(total).padStart(7)}`].join('\n');
}

function formatDuration(seconds: number): string {
  const rounded = Math.round(seconds);
  return rounded < 60
    ? `${rounded} s`
    : `${Math.floor(rounded / 60)}m${String(rounded % 60).padStart(2, '0')}s`;
}
