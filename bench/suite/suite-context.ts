import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EosConfig } from '@eos/common';
import type { ShardRouter } from '@eos/sharding';
import { checkoutCall } from '../checkout/checkout-load';
import { CheckoutRequests } from '../checkout/checkout-request';
import { CustomerPool } from '../checkout/customer-pool';
import { warmMenuCache } from '../checkout/menu-cache-warmup';
import { runClosedLoad } from '../load/closed-model';
import { EventBacklog } from '../load/event-backlog';
import { ForwardOrderProcess } from '../load/forward-order.process';
import { median } from '../load/latency-stats';
import { RequestRecorder } from '../load/request-recorder';
import { measurePhase, type PhaseResult } from './phase-result';
import type { SuiteOptions } from './suite-options';

/** Lets the app finish requests the load generator abandoned at its deadline before the next phase. */
export const SETTLE_MS = 1_000;

/** Longest wait for the previous phase's order events to be worked off (see EventBacklog). */
const DRAIN_MAX_MS = 60_000;

/** What every scenario of one invocation shares: the config, the customers, the app, the results. */
export class SuiteContext {
  readonly checkouts: CheckoutRequests;
  /** Every measured phase, in order, for the chart. */
  readonly phases: PhaseResult[] = [];
  /** App checkout orders/s of each run in this invocation: the reference of reads and soak. */
  readonly checkoutRates: number[] = [];
  private app: ForwardOrderProcess | undefined;
  private readonly backlog: EventBacklog;

  constructor(
    readonly options: SuiteOptions,
    readonly config: EosConfig,
    readonly router: ShardRouter,
    readonly customers: CustomerPool,
    readonly repoRoot: string,
    readonly resultsDir: string,
    readonly stem: string,
  ) {
    this.checkouts = new CheckoutRequests(customers);
    this.backlog = new EventBacklog(router, config.RABBITMQ_URL);
  }

  static create(
    options: SuiteOptions,
    config: EosConfig,
    router: ShardRouter,
    paths: { repoRoot: string; resultsDir: string; stem: string },
  ): SuiteContext {
    const customers = CustomerPool.create(config.JWT_SECRET, options.customers);
    return new SuiteContext(options, config, router, customers, paths.repoRoot, paths.resultsDir, paths.stem);
  }

  progress(message: string): void {
    console.error(`bench: ${message}`);
  }

  logFile(name: string): string {
    return join(this.resultsDir, `${this.stem}.${name}.log`);
  }

  /**
   * The forward-order app most scenarios measure (one process, the default shard map), started on
   * first use: menu cache filled, then `--warmup` seconds of unmeasured checkout load.
   */
  async mainApp(): Promise<ForwardOrderProcess> {
    if (this.app) return this.app;
    this.progress('starting forward-order');
    const app = await ForwardOrderProcess.start({
      repoRoot: this.repoRoot,
      logFile: this.logFile('forward-order'),
    });
    this.app = app;
    this.progress(`ready at ${app.url} (pid ${String(app.pid)}); warming the menu cache`);
    await this.warmUp(app);
    await this.awaitEventDrain();
    return app;
  }

  /** Fills the menu cache and runs `--warmup` seconds of checkouts that are not measured. */
  async warmUp(app: ForwardOrderProcess): Promise<void> {
    await warmMenuCache(app.url);
    if (this.options.warmupSeconds > 0) {
      await runClosedLoad({
        url: app.url,
        connections: this.options.connections,
        durationSeconds: this.options.warmupSeconds,
        kind: 'checkout',
        createsOrder: true,
        recorder: new RequestRecorder(),
        next: () => checkoutCall(this.checkouts),
      });
      await sleep(SETTLE_MS);
    }
  }

  /**
   * Between measured phases on the main app: lets abandoned requests finish, then waits until the
   * relay and the projector have worked off the events of the phase before (on the default shard
   * map; the scale scenario's databases are its own), so the next phase pays only for its own.
   */
  async settle(): Promise<void> {
    await sleep(SETTLE_MS);
    await this.awaitEventDrain();
  }

  private async awaitEventDrain(): Promise<void> {
    const { drained, waitedMs } = await this.backlog.waitUntilDrained(DRAIN_MAX_MS);
    if (!drained)
      this.progress(`order events still pending after ${Math.round(waitedMs / 1000)} s; going on`);
    else if (waitedMs > 0)
      this.progress(`waited ${(waitedMs / 1000).toFixed(1)} s for the order events to drain`);
  }

  async stopMainApp(): Promise<void> {
    const app = this.app;
    this.app = undefined;
    await app?.stop();
  }

  /** One closed-model checkout phase against `app` (64 connections by default). */
  checkoutPhase(name: string, app: ForwardOrderProcess): Promise<PhaseResult> {
    return measurePhase(name, 'closed', { appPids: pidsOf(app) }, (recorder) =>
      runClosedLoad({
        url: app.url,
        connections: this.options.connections,
        durationSeconds: this.options.durationSeconds,
        kind: 'checkout',
        createsOrder: true,
        recorder,
        next: () => checkoutCall(this.checkouts),
      }),
    );
  }

  /**
   * The median app checkout rate of this invocation. When the checkout scenario has not run, it is
   * measured here first (`--runs` closed phases of `--duration`, no ceiling).
   */
  async checkoutReference(): Promise<number> {
    if (this.checkoutRates.length === 0) {
      const app = await this.mainApp();
      for (let run = 1; run <= this.options.runs; run += 1) {
        this.progress(`checkout reference ${run}/${this.options.runs}: ${this.options.durationSeconds} s`);
        const phase = await this.checkoutPhase(`checkout reference run ${run}`, app);
        this.phases.push(phase);
        this.checkoutRates.push(phase.traffic.ordersPerSecond);
        await this.settle();
      }
    }
    return median(this.checkoutRates);
  }
}

export function pidsOf(app: { readonly pid: number | undefined }): number[] {
  return app.pid === undefined ? [] : [app.pid];
}
