import { setTimeout as sleep } from 'node:timers/promises';
import type { ShardRouter } from '@eos/sharding';
import type { CheckoutRequests } from '../checkout/checkout-request';
import type { ChaosScenario } from './chaos-scenarios';
import type { ChaosStack } from './chaos-stack';
import type { EventLedger } from './event-ledger';
import { expectedEventIds, projectionBehind, scenarioResult, type ScenarioResult } from './scenario-result';
import type { ShardAudit } from './shard-audit';
import { SteadyCheckoutLoad } from './steady-load';

export interface ScenarioPhases {
  /** Load before the fault. */
  readonly baselineMs: number;
  /** How long the fault lasts. */
  readonly faultMs: number;
  /** Load after the fault cleared. */
  readonly recoveryMs: number;
  /** Longest wait, after the load, for the last events and projections. */
  readonly drainMs: number;
  /** Longest wait for the app to report every dependency healthy before a scenario. */
  readonly steadyMs: number;
}

export interface ScenarioContext {
  readonly stack: ChaosStack;
  readonly appUrl: string;
  readonly requests: CheckoutRequests;
  readonly router: ShardRouter;
  readonly ledger: EventLedger;
  readonly audit: ShardAudit;
  readonly ratePerSecond: number;
  readonly clientTimeoutMs: number;
  readonly payEvery: number;
  readonly webhookSecret: string;
  readonly phases: ScenarioPhases;
  readonly log: (line: string) => void;
}

interface ReadinessBody {
  readonly details?: Record<string, { status?: string; degraded?: boolean; message?: string }>;
}

/** What is not healthy yet, per the app's readiness (every dependency up, none degraded). */
async function unhealthy(appUrl: string): Promise<string[]> {
  try {
    const response = await fetch(`${appUrl}/health/ready`, { signal: AbortSignal.timeout(3000) });
    const body = (await response.json()) as ReadinessBody;
    const problems = Object.entries(body.details ?? {})
      .filter(([, detail]) => detail.status !== 'up' || detail.degraded === true)
      .map(([name, detail]) => `${name}: ${detail.message ?? detail.status ?? 'down'}`);
    if (response.status !== 200 && problems.length === 0) problems.push(`readiness ${response.status}`);
    return problems;
  } catch (error) {
    return [`readiness: ${error instanceof Error ? error.message : String(error)}`];
  }
}

/**
 * Waits until the app reports every dependency healthy. Readiness probes run through the circuit
 * breakers, so polling it also lets an open breaker test its dependency again.
 */
async function waitUntilSteady(context: ScenarioContext): Promise<void> {
  const deadline = Date.now() + context.phases.steadyMs;
  let problems = await unhealthy(context.appUrl);
  while (problems.length > 0 && Date.now() < deadline) {
    await sleep(500);
    problems = await unhealthy(context.appUrl);
  }
  if (problems.length > 0) context.log(`  not steady before the scenario: ${problems.join('; ')}`);
}

/** Runs one scenario under the steady load and audits it once its events had time to arrive. */
export async function runScenario(
  scenario: ChaosScenario,
  context: ScenarioContext,
): Promise<ScenarioResult> {
  const { phases, log } = context;
  await waitUntilSteady(context);
  const load = new SteadyCheckoutLoad({
    url: context.appUrl,
    requests: context.requests,
    router: context.router,
    ratePerSecond: context.ratePerSecond,
    timeoutMs: context.clientTimeoutMs,
    payEvery: context.payEvery,
    webhookSecret: context.webhookSecret,
  });
  const loadStartedAt = Date.now();
  load.start();
  let faultAt = 0;
  let clearedAt = 0;
  try {
    await sleep(phases.baselineMs);
    faultAt = Date.now();
    log(`  fault: ${scenario.fault}`);
    await scenario.inject(context.stack);
    await sleep(Math.max(0, faultAt + phases.faultMs - Date.now()));
  } finally {
    // Whatever happened, the fault ends: the next scenario starts from a healthy stack.
    await scenario.clear(context.stack);
    clearedAt = Date.now();
  }
  log(`  cleared after ${clearedAt - faultAt} ms`);
  await sleep(phases.recoveryMs);
  await load.stop();
  const loadStoppedAt = Date.now();
  await load.settle();

  const committed = await context.audit.committed(load.attempts);
  const orders = [...committed.values()];
  let projected = await context.audit.projectedVersions(orders);
  const drainUntil = Date.now() + phases.drainMs;
  for (;;) {
    const missing = expectedEventIds(orders).filter((id) => context.ledger.arrivedAt(id) === undefined);
    if ((missing.length === 0 && projectionBehind(orders, projected).length === 0) || Date.now() > drainUntil)
      break;
    await sleep(500);
    projected = await context.audit.projectedVersions(orders);
  }
  return scenarioResult({
    scenario,
    attempts: load.attempts,
    evidence: {
      committed,
      projected,
      feedDuplicates: await context.audit.feedDuplicates(orders),
      ledger: context.ledger,
    },
    timeline: { loadStartedAt, faultAt, clearedAt, loadStoppedAt },
  });
}
