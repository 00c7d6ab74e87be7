import { freePort, AppProcess } from '../load/app.process';
import { HttpClient } from '../load/http-client';
import { runUserSimulation } from '../load/user-simulation';
import { MixCustomerTasks, mixWeights, type MixUser } from './mix-customer';
import { measurePhase, type PhaseResult } from './phase-result';
import { pidsOf, type SuiteContext } from './suite-context';

export interface MixScenarioReport {
  readonly scenario: 'mix';
  readonly users: number;
  readonly spawnRatePerSecond: number;
  readonly waitMs: { readonly min: number; readonly max: number };
  /** Weights of menu, checkout, pay, my-orders, refund. */
  readonly weights: readonly number[];
  readonly refunds: boolean;
  readonly phase: PhaseResult;
  /** Share of the requests each kind took (pay and refund fall back to checkout/pay when a user has nothing to pay or refund). */
  readonly shares: Readonly<Record<string, number>>;
}

/**
 * Simulated customers (Locust-style: a spawn rate and a wait between tasks) browsing menus 60 %,
 * checking out 20 %, paying 10 %, listing their orders 10 %, and, with reverse-order running beside
 * forward-order, cancelling a paid order (a refund) as a trickle on top. Customers are spread over
 * every user shard and merchants over every merchant shard.
 */
export async function runMixScenario(context: SuiteContext): Promise<MixScenarioReport> {
  const { options, config } = context;
  const app = await context.mainApp();
  const refunds = options.mix.refundWeight > 0;
  const helpers: AppProcess[] = [];
  let reverse: HttpClient | undefined;
  const forward = new HttpClient(app.url, options.mix.users);
  try {
    const extraPids: Record<string, number> = {};
    if (refunds) {
      context.progress('mix: starting the payment provider and reverse-order for the refund trickle');
      const providerPort = await freePort();
      const provider = await AppProcess.start({
        repoRoot: context.repoRoot,
        entry: 'dist/tools/payment-provider/src/main.js',
        name: 'payment-provider',
        env: { PAYMENT_PROVIDER_PORT: String(providerPort) },
        healthUrl: `http://127.0.0.1:${providerPort}`,
        readyPath: '/health',
        logFile: context.logFile('payment-provider'),
      });
      helpers.push(provider);
      const reversePort = await freePort();
      const reverseApp = await AppProcess.start({
        repoRoot: context.repoRoot,
        entry: 'dist/apps/reverse-order/src/main.js',
        name: 'reverse-order',
        env: { REVERSE_PORT: String(reversePort), PAYMENT_PROVIDER_URL: `http://127.0.0.1:${providerPort}` },
        healthUrl: `http://127.0.0.1:${reversePort}`,
        logFile: context.logFile('reverse-order'),
      });
      helpers.push(reverseApp);
      reverse = new HttpClient(`http://127.0.0.1:${reversePort}`, options.mix.users);
      for (const helper of helpers) if (helper.pid !== undefined) extraPids[helper.name] = helper.pid;
    }
    const weights = mixWeights(refunds ? options.mix.refundWeight : 0);
    context.progress(
      `mix: ${options.mix.users} users (spawn ${options.mix.spawnRatePerSecond}/s) for ${options.mix.durationSeconds} s`,
    );
    const phase = await measurePhase(
      'mix (simulated users)',
      'users',
      { appPids: pidsOf(app), extraPids },
      (recorder) => {
        const tasks = new MixCustomerTasks({
          forward,
          reverse,
          checkouts: context.checkouts,
          webhookSecret: config.PAYMENT_WEBHOOK_SECRET,
          recorder,
          weights,
        });
        return runUserSimulation<MixUser>({
          users: options.mix.users,
          spawnRatePerSecond: options.mix.spawnRatePerSecond,
          durationSeconds: options.mix.durationSeconds,
          waitMs: options.mix.waitMs,
          createUser: (index) => ({ customer: context.customers.at(index), unpaid: [], paid: [] }),
          act: (user) => tasks.act(user),
        });
      },
    );
    context.phases.push(phase);
    const shares: Record<string, number> = {};
    for (const [kind, figures] of Object.entries(phase.traffic.byKind)) {
      shares[kind] = figures.requests / Math.max(1, phase.traffic.requests);
    }
    return {
      scenario: 'mix',
      users: options.mix.users,
      spawnRatePerSecond: options.mix.spawnRatePerSecond,
      waitMs: options.mix.waitMs,
      weights,
      refunds,
      phase,
      shares,
    };
  } finally {
    forward.close();
    reverse?.close();
    for (const helper of helpers.reverse()) await helper.stop();
  }
}
