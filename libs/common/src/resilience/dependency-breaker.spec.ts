import { register } from 'prom-client';
import { CircuitOpenError, DependencyBreaker } from './dependency-breaker';

class Outage extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** `halfOpenAfterMs` short by default, for the tests of recovery; long where a test needs it to stay open. */
function breaker(name: string, halfOpenAfterMs = 10): DependencyBreaker {
  return new DependencyBreaker({
    dependency: name,
    isOutage: (error) => error instanceof Outage,
    consecutiveFailures: 3,
    halfOpenAfterMs,
    maxHalfOpenAfterMs: 2 * halfOpenAfterMs,
  });
}

async function stateGauge(dependency: string): Promise<number | undefined> {
  const metric = await register.getSingleMetric('eos_circuit_breaker_state')?.get();
  return metric?.values.find((value) => value.labels.dependency === dependency)?.value;
}

/** Waits, without a time bound in the assertion, until the breaker lets a trial call through. */
async function untilTrialAllowed(subject: DependencyBreaker, trial: () => Promise<unknown>): Promise<void> {
  for (let tries = 0; tries < 500; tries += 1) {
    try {
      await subject.execute(trial);
      return;
    } catch (error) {
      if (!(error instanceof CircuitOpenError)) throw error;
      await sleep(5);
    }
  }
  throw new Error('the breaker never allowed a trial call');
}

describe('DependencyBreaker', () => {
  it('opens after consecutive outage errors and then refuses calls without running them', async () => {
    // Open for a minute: on a loaded machine 10 ms can pass before the refused call below.
    const subject = breaker('test:opens', 60_000);
    for (let n = 0; n < 3; n += 1) {
      await expect(subject.execute(() => Promise.reject(new Outage('refused')))).rejects.toBeInstanceOf(
        Outage,
      );
    }
    expect(subject.state).toBe('open');
    expect(await stateGauge('test:opens')).toBe(1);
    const work = jest.fn(() => Promise.resolve('ran'));
    await expect(subject.execute(work)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(work).not.toHaveBeenCalled();
  });

  it("passes a caller's own errors through without counting them against the dependency", async () => {
    const subject = breaker('test:caller-errors');
    for (let n = 0; n < 10; n += 1) {
      await expect(subject.execute(() => Promise.reject(new TypeError('bad input')))).rejects.toBeInstanceOf(
        TypeError,
      );
    }
    expect(subject.state).toBe('closed');
    await expect(subject.execute(() => Promise.resolve(7))).resolves.toBe(7);
  });

  it('a success between failures keeps it closed', async () => {
    const subject = breaker('test:interleaved');
    for (let n = 0; n < 5; n += 1) {
      await expect(subject.execute(() => Promise.reject(new Outage('reset')))).rejects.toBeInstanceOf(Outage);
      await expect(subject.execute(() => Promise.reject(new Outage('reset')))).rejects.toBeInstanceOf(Outage);
      await subject.execute(() => Promise.resolve());
    }
    expect(subject.state).toBe('closed');
  });

  it('after the pause lets one trial through; its success closes the circuit', async () => {
    const subject = breaker('test:recovers');
    for (let n = 0; n < 3; n += 1)
      await subject.execute(() => Promise.reject(new Outage('down'))).catch(() => undefined);
    expect(subject.state).toBe('open');
    await untilTrialAllowed(subject, () => Promise.resolve('back'));
    expect(subject.state).toBe('closed');
    expect(await stateGauge('test:recovers')).toBe(0);
  });

  it('refuses other calls at once while the trial call runs, and reopens when the trial fails', async () => {
    const subject = breaker('test:half-open');
    for (let n = 0; n < 3; n += 1)
      await subject.execute(() => Promise.reject(new Outage('down'))).catch(() => undefined);
    let failTrial: (error: Error) => void = () => undefined;
    const trial = new Promise<never>((_, reject) => {
      failTrial = reject;
    });
    let running: Promise<unknown> | undefined;
    for (let tries = 0; running === undefined && tries < 500; tries += 1) {
      const attempt = subject.execute(() => trial);
      if (subject.state === 'half-open') running = attempt.catch((error: unknown) => error);
      else {
        await attempt.catch(() => undefined);
        await sleep(5);
      }
    }
    expect(subject.state).toBe('half-open');
    const other = jest.fn(() => Promise.resolve());
    await expect(subject.execute(other)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(other).not.toHaveBeenCalled();
    failTrial(new Outage('still down'));
    expect(await running).toBeInstanceOf(Outage);
    expect(subject.state).toBe('open');
  });
});
