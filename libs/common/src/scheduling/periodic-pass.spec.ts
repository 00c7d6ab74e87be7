import { setTimeout as sleep } from 'node:timers/promises';
import { PeriodicPass } from './periodic-pass';

/** Waits until `condition` holds (each check a few ms apart); fails the test past many tries. */
async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 500 && !condition(); tries += 1) await sleep(2);
  expect(condition()).toBe(true);
}

describe('PeriodicPass', () => {
  it('never starts with an interval of 0', async () => {
    let passes = 0;
    const periodic = new PeriodicPass('test', 0, () => {
      passes += 1;
      return Promise.resolve();
    });
    periodic.start();
    await sleep(20);
    await periodic.stop();
    expect(passes).toBe(0);
  });

  it('runs passes one after another, never two at once, and goes on after a failed pass', async () => {
    let inFlight = 0;
    let overlapped = false;
    let passes = 0;
    const periodic = new PeriodicPass('test', 1, async () => {
      inFlight += 1;
      overlapped ||= inFlight > 1;
      passes += 1;
      await sleep(3);
      inFlight -= 1;
      if (passes === 1) throw new Error('first pass fails');
    });
    periodic.start();
    const exclusive = periodic.runExclusive(async () => {
      overlapped ||= inFlight > 0;
      await sleep(3);
    });
    await until(() => passes >= 4);
    await exclusive;
    await periodic.stop();
    expect(overlapped).toBe(false);
  });

  it('stop() waits for the pass in flight and schedules no more', async () => {
    let finished = 0;
    let started = 0;
    const periodic = new PeriodicPass('test', 1, async () => {
      started += 1;
      await sleep(10);
      finished += 1;
    });
    periodic.start();
    await until(() => started === 1);
    await periodic.stop();
    expect(finished).toBe(started);
    const after = started;
    await sleep(20);
    expect(started).toBe(after);
  });
});
