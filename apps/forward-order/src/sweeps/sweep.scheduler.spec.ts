import 'reflect-metadata';
import { EosConfig, loadConfig } from '@eos/common';
import { OrderSweeps, SweepReport } from '@eos/ordering';
import { eventually } from '@eos/testing';
import { SweepScheduler } from './sweep.scheduler';

function config(intervalMs: number): EosConfig {
  return loadConfig({ SWEEP_INTERVAL_MS: String(intervalMs) });
}

/** Sweeps that record when passes run and take `passMs` each. */
function fakeSweeps(passMs: number) {
  const passes: { start: number; end: number }[] = [];
  const sweeps = {
    runOnce: async (): Promise<SweepReport[]> => {
      const start = Date.now();
      await new Promise((resolve) => setTimeout(resolve, passMs));
      passes.push({ start, end: Date.now() });
      return [];
    },
  };
  return { sweeps: sweeps as unknown as OrderSweeps, passes };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Waits for passes rather than for a fixed time: on a loaded machine (CI beside Postgres and
// RabbitMQ) 100 ms held a single 5 ms-apart pass once.
const PASSES_WITHIN_MS = 10_000;

describe('SweepScheduler', () => {
  it('runs pass after pass, never two at once, and waits for the pass in flight on shutdown', async () => {
    const { sweeps, passes } = fakeSweeps(30);
    const scheduler = new SweepScheduler(sweeps, config(5));
    scheduler.onApplicationBootstrap();
    await eventually(async () => passes.length >= 2, PASSES_WITHIN_MS, 5);
    await scheduler.beforeApplicationShutdown();
    const stoppedWith = passes.length;
    expect(stoppedWith).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < passes.length; i += 1)
      expect(passes[i].start).toBeGreaterThanOrEqual(passes[i - 1].end);
    await sleep(100);
    expect(passes).toHaveLength(stoppedWith);
  });

  it('does nothing when SWEEP_INTERVAL_MS is 0', async () => {
    const { sweeps, passes } = fakeSweeps(1);
    const scheduler = new SweepScheduler(sweeps, config(0));
    scheduler.onApplicationBootstrap();
    await sleep(50);
    await scheduler.beforeApplicationShutdown();
    expect(passes).toHaveLength(0);
  });

  it('keeps sweeping after a pass fails', async () => {
    let calls = 0;
    const sweeps = {
      runOnce: async (): Promise<SweepReport[]> => {
        calls += 1;
        throw new Error('database down');
      },
    } as unknown as OrderSweeps;
    const scheduler = new SweepScheduler(sweeps, config(5));
    jest.spyOn(scheduler['logger'], 'error').mockImplementation(() => undefined);
    scheduler.onApplicationBootstrap();
    await eventually(async () => calls >= 2, PASSES_WITHIN_MS, 5);
    await scheduler.beforeApplicationShutdown();
    expect(calls).toBeGreaterThanOrEqual(2);
  });
});
