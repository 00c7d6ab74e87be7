import { randomInt } from 'node:crypto';
import { DEMO_MERCHANTS } from '@eos/persistence';
import { runClosedLoad, type HttpCall } from '../load/closed-model';
import { median } from '../load/latency-stats';
import { measurePhase, type PhaseResult } from './phase-result';
import { pidsOf, type SuiteContext } from './suite-context';

export interface ReadsRun {
  readonly run: number;
  readonly myOrders: PhaseResult;
  readonly menu: PhaseResult;
  /** Requests/s over the checkout orders/s of the same run (or the invocation's median). */
  readonly myOrdersOverCheckout: number;
  readonly menuOverCheckout: number;
}

export interface ReadsScenarioReport {
  readonly scenario: 'reads';
  readonly connections: number;
  readonly checkoutOrdersPerSecond: number;
  readonly runs: readonly ReadsRun[];
  readonly median: {
    readonly myOrdersPerSecond: number;
    readonly myOrdersP99Ms: number;
    readonly menuPerSecond: number;
    readonly menuP99Ms: number;
    readonly myOrdersOverCheckout: number;
    readonly menuOverCheckout: number;
  };
}

/**
 * The two reads customers make most, each in the closed model at `--connections`: the first page of
 * "my orders" (a random customer of the pool, whose orders the checkout phases created) and a
 * random demo merchant's menu. Each is reported as a multiple of the checkout rate.
 */
export async function runReadsScenario(context: SuiteContext): Promise<ReadsScenarioReport> {
  const { options } = context;
  const reference = await context.checkoutReference();
  const app = await context.mainApp();
  const closed = (name: string, kind: string, next: () => HttpCall) =>
    measurePhase(name, 'closed', { appPids: pidsOf(app) }, (recorder) =>
      runClosedLoad({
        url: app.url,
        connections: options.connections,
        durationSeconds: options.durationSeconds,
        kind,
        recorder,
        next,
      }),
    );
  const runs: ReadsRun[] = [];
  for (let run = 1; run <= options.runs; run += 1) {
    context.progress(`reads run ${run}/${options.runs}: my orders for ${options.durationSeconds} s`);
    const myOrders = await closed(`reads run ${run}: my orders`, 'my-orders', () => ({
      method: 'GET',
      path: '/v1/orders',
      headers: { authorization: context.customers.pick().authorization },
    }));
    context.phases.push(myOrders);
    await context.settle();
    context.progress(`reads run ${run}/${options.runs}: menu for ${options.durationSeconds} s`);
    const menu = await closed(`reads run ${run}: menu`, 'menu', () => ({
      method: 'GET',
      path: `/v1/merchants/${randomInt(1, DEMO_MERCHANTS + 1)}/menu`,
    }));
    context.phases.push(menu);
    await context.settle();
    const checkoutRate = context.checkoutRates[run - 1] ?? reference;
    runs.push({
      run,
      myOrders,
      menu,
      myOrdersOverCheckout: myOrders.traffic.ok / myOrders.traffic.seconds / checkoutRate,
      menuOverCheckout: menu.traffic.ok / menu.traffic.seconds / checkoutRate,
    });
  }
  return {
    scenario: 'reads',
    connections: options.connections,
    checkoutOrdersPerSecond: reference,
    runs,
    median: {
      myOrdersPerSecond: median(runs.map((r) => r.myOrders.traffic.ok / r.myOrders.traffic.seconds)),
      myOrdersP99Ms: median(runs.map((r) => r.myOrders.traffic.latency.p99Ms)),
      menuPerSecond: median(runs.map((r) => r.menu.traffic.ok / r.menu.traffic.seconds)),
      menuP99Ms: median(runs.map((r) => r.menu.traffic.latency.p99Ms)),
      myOrdersOverCheckout: median(runs.map((r) => r.myOrdersOverCheckout)),
      menuOverCheckout: median(runs.map((r) => r.menuOverCheckout)),
    },
  };
}
