import { openCheckoutCeiling } from '../checkout/checkout-ceiling';
import { median } from '../load/latency-stats';
import type { PhaseMeasurement } from '../load/phase-measurement';
import { ResourceSampler, type ResourceUsage } from '../load/resource-sampler';
import type { PhaseResult } from './phase-result';
import { pidsOf, type SuiteContext } from './suite-context';

export interface CheckoutRun {
  readonly run: number;
  readonly app: PhaseResult;
  /** The same checkout statement straight from pg at the same concurrency (bench/checkout's SqlCeiling). */
  readonly ceiling: PhaseMeasurement & { readonly resources: ResourceUsage };
  readonly appOverCeiling: number;
}

export interface CheckoutScenarioReport {
  readonly scenario: 'checkout';
  readonly connections: number;
  readonly runs: readonly CheckoutRun[];
  readonly median: {
    readonly appOrdersPerSecond: number;
    readonly appP50Ms: number;
    readonly appP95Ms: number;
    readonly appP99Ms: number;
    readonly appErrors: number;
    readonly ceilingOrdersPerSecond: number;
    readonly ceilingP99Ms: number;
    readonly appOverCeiling: number;
  };
}

/**
 * Checkout at `--connections` in the closed model, each run the app then the ceiling (the same
 * transaction issued by bench/checkout's SqlCeiling over pools like the app's), and their ratio.
 */
export async function runCheckoutScenario(context: SuiteContext): Promise<CheckoutScenarioReport> {
  const { options } = context;
  const { ceiling, close } = await openCheckoutCeiling(context.config, context.router);
  const runs: CheckoutRun[] = [];
  try {
    const app = await context.mainApp();
    const ceilingPhase = async (durationSeconds: number) => {
      const sampler = ResourceSampler.start({ appPids: pidsOf(app) });
      const measurement = await ceiling.run({
        connections: options.connections,
        durationSeconds,
        checkouts: context.checkouts,
      });
      return { ...measurement, resources: sampler.stop() };
    };
    if (options.warmupSeconds > 0) {
      await ceilingPhase(options.warmupSeconds);
      await context.settle();
    }
    for (let run = 1; run <= options.runs; run += 1) {
      context.progress(`checkout run ${run}/${options.runs}: app for ${options.durationSeconds} s`);
      const appPhase = await context.checkoutPhase(`checkout run ${run}`, app);
      context.phases.push(appPhase);
      await context.settle();
      context.progress(`checkout run ${run}/${options.runs}: ceiling for ${options.durationSeconds} s`);
      const ceilingResult = await ceilingPhase(options.durationSeconds);
      await context.settle();
      context.checkoutRates.push(appPhase.traffic.ordersPerSecond);
      runs.push({
        run,
        app: appPhase,
        ceiling: ceilingResult,
        appOverCeiling: appPhase.traffic.ordersPerSecond / ceilingResult.ordersPerSecond,
      });
    }
  } finally {
    await close();
  }
  const appFigures = runs.map((run) => run.app.traffic);
  return {
    scenario: 'checkout',
    connections: options.connections,
    runs,
    median: {
      appOrdersPerSecond: median(appFigures.map((t) => t.ordersPerSecond)),
      appP50Ms: median(appFigures.map((t) => t.latency.p50Ms)),
      appP95Ms: median(appFigures.map((t) => t.latency.p95Ms)),
      appP99Ms: median(appFigures.map((t) => t.latency.p99Ms)),
      appErrors: median(appFigures.map((t) => t.errors)),
      ceilingOrdersPerSecond: median(runs.map((run) => run.ceiling.ordersPerSecond)),
      ceilingP99Ms: median(runs.map((run) => run.ceiling.latency.p99Ms)),
      appOverCeiling: median(runs.map((run) => run.appOverCeiling)),
    },
  };
}
