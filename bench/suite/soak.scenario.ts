import { openCheckoutCeiling } from '../checkout/checkout-ceiling';
import { performance } from 'node:perf_hooks';
import { checkoutCall } from '../checkout/checkout-load';
import { HttpClient } from '../load/http-client';
import { runOpenLoad } from '../load/open-model';
import { errorKind } from '../load/phase-measurement';
import type { RequestRecorder } from '../load/request-recorder';
import { rssNear } from '../load/resource-sampler';
import { windowFigures, type WindowFigures } from '../load/timeline';
import { measurePhase, type PhaseResult } from './phase-result';
import { pidsOf, type SuiteContext } from './suite-context';

const WINDOW_MS = 10_000;
/** The RSS reference: after the first minute, or half-way through a shorter trial. */
const FIRST_MINUTE_S = 60;
/** Share of the invocation's median checkout rate the soak offers by default. */
export const SOAK_SHARE_OF_CHECKOUT = 0.7;

export interface SoakScenarioReport {
  readonly scenario: 'soak';
  readonly ratePerSecond: number;
  /** The median checkout rate the rate was taken from (undefined with --rate). */
  readonly checkoutOrdersPerSecond: number | undefined;
  readonly phase: PhaseResult;
  readonly windows: readonly WindowFigures[];
  readonly worstWindowP99Ms: number;
  /**
   * The checkout statement straight from pg at the same rate, in the same open model, for
   * `--soak-ceiling-duration` (undefined when 0): the latency this box gives the SQL alone.
   */
  readonly ceiling?: {
    readonly phase: PhaseResult;
    readonly windows: readonly WindowFigures[];
    readonly worstWindowP99Ms: number;
  };
  readonly rss: {
    readonly referenceAtSeconds: number;
    readonly afterFirstMinuteMiB: number;
    readonly atEndMiB: number;
    readonly changePercent: number;
  };
}

/**
 * The open model: checkouts on a fixed schedule at 70 % of the median checkout rate of this
 * invocation (or `--rate`), for `--soak-duration`. Latency runs from each request's scheduled start;
 * p99 is reported per 10 s window and overall, with the app's RSS after the first minute and at the end.
 */
export async function runSoakScenario(context: SuiteContext): Promise<SoakScenarioReport> {
  const { options } = context;
  const checkoutOrdersPerSecond =
    options.soak.ratePerSecond === undefined ? await context.checkoutReference() : undefined;
  const ratePerSecond = options.soak.ratePerSecond ?? SOAK_SHARE_OF_CHECKOUT * (checkoutOrdersPerSecond ?? 0);
  if (!(ratePerSecond > 0)) throw new Error('soak: no checkout rate to take 70 % of (no order succeeded)');
  const app = await context.mainApp();
  const client = new HttpClient(app.url, options.soak.maxInFlight);
  context.progress(
    `soak: ${ratePerSecond.toFixed(1)} checkouts/s for ${options.soak.durationSeconds} s (open model)`,
  );
  let recorded: RequestRecorder | undefined;
  let phase: PhaseResult;
  try {
    phase = await measurePhase('soak (open model)', 'open', { appPids: pidsOf(app) }, (recorder) => {
      recorded = recorder;
      return runOpenLoad({
        ratePerSecond,
        durationSeconds: options.soak.durationSeconds,
        maxInFlight: options.soak.maxInFlight,
        onCapped: (scheduledAt) => recorder.failure('checkout', 'IN_FLIGHT_CAP', scheduledAt, 0),
        send: async (scheduledAt) => {
          try {
            const answer = await client.send(checkoutCall(context.checkouts));
            const latency = performance.now() - scheduledAt;
            if (answer.status >= 200 && answer.status < 300) {
              recorder.success('checkout', scheduledAt, latency, true);
            } else {
              recorder.failure('checkout', String(answer.status), scheduledAt, latency, answer.body);
            }
          } catch (error) {
            recorder.failure('checkout', errorKind(error), scheduledAt, performance.now() - scheduledAt);
          }
        },
      });
    });
  } finally {
    client.close();
  }
  context.phases.push(phase);
  const windows = windowFigures(recorded?.requests() ?? [], WINDOW_MS, options.soak.durationSeconds * 1000);
  const ceiling =
    options.soak.ceilingDurationSeconds > 0
      ? await runCeilingSoak(context, ratePerSecond, pidsOf(app))
      : undefined;
  const samples = phase.resources.appRss.samples;
  const referenceAtSeconds = Math.min(FIRST_MINUTE_S, options.soak.durationSeconds / 2);
  const afterFirstMinuteMiB = rssNear(samples, referenceAtSeconds);
  const atEndMiB = samples.at(-1)?.mib ?? Number.NaN;
  return {
    scenario: 'soak',
    ratePerSecond,
    checkoutOrdersPerSecond,
    phase,
    windows,
    worstWindowP99Ms: worstP99(windows),
    ceiling,
    rss: {
      referenceAtSeconds,
      afterFirstMinuteMiB,
      atEndMiB,
      changePercent: (100 * (atEndMiB - afterFirstMinuteMiB)) / afterFirstMinuteMiB,
    },
  };
}

function worstP99(windows: readonly WindowFigures[]): number {
  return Math.max(...windows.map((w) => (Number.isNaN(w.p99Ms) ? 0 : w.p99Ms)));
}

/**
 * The ceiling's soak: the same open schedule, each request the checkout statement sent straight
 * to the user's database. Its latency, like the app's, runs from the scheduled start.
 */
async function runCeilingSoak(
  context: SuiteContext,
  ratePerSecond: number,
  appPids: readonly number[],
): Promise<NonNullable<SoakScenarioReport['ceiling']>> {
  const { options } = context;
  const durationSeconds = options.soak.ceilingDurationSeconds;
  await context.settle();
  context.progress(`soak: the ceiling at ${ratePerSecond.toFixed(1)} checkouts/s for ${durationSeconds} s`);
  const { ceiling, close } = await openCheckoutCeiling(context.config, context.router);
  let recorded: RequestRecorder | undefined;
  let phase: PhaseResult;
  try {
    phase = await measurePhase('soak ceiling (open model)', 'open', { appPids }, (recorder) => {
      recorded = recorder;
      return runOpenLoad({
        ratePerSecond,
        durationSeconds,
        maxInFlight: options.soak.maxInFlight,
        onCapped: (scheduledAt) => recorder.failure('checkout', 'IN_FLIGHT_CAP', scheduledAt, 0),
        send: async (scheduledAt) => {
          const outcome = await ceiling.checkoutOnce(context.checkouts);
          const latency = performance.now() - scheduledAt;
          if (outcome.ok) recorder.success('checkout', scheduledAt, latency, true);
          else recorder.failure('checkout', outcome.kind, scheduledAt, latency, outcome.message);
        },
      });
    });
  } finally {
    await close();
  }
  context.phases.push(phase);
  const windows = windowFigures(recorded?.requests() ?? [], WINDOW_MS, durationSeconds * 1000);
  return { phase, windows, worstWindowP99Ms: worstP99(windows) };
}
