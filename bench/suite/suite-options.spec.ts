import { HelpRequested, parseSuiteOptions } from './suite-options';
import { planSuite } from './suite-plan';

describe('parseSuiteOptions', () => {
  it('runs every scenario, 3 runs, 64 connections by default', () => {
    const options = parseSuiteOptions([]);
    expect(options.scenarios).toEqual(['checkout', 'reads', 'mix', 'soak', 'scale']);
    expect(options).toMatchObject({ runs: 3, connections: 64, durationSeconds: 20 });
    expect(options.soak).toEqual({
      durationSeconds: 300,
      ratePerSecond: undefined,
      maxInFlight: 1000,
      ceilingDurationSeconds: 60,
    });
    expect(options.scale).toEqual({ processes: [1, 2], databases: [2, 4], runs: 1 });
    expect(options.mix.waitMs).toEqual({ min: 100, max: 500 });
  });

  it('keeps the suite order whatever order scenarios are named in', () => {
    expect(parseSuiteOptions(['soak', 'checkout']).scenarios).toEqual(['checkout', 'soak']);
  });

  it('reads the options', () => {
    const options = parseSuiteOptions([
      'mix',
      '--runs',
      '1',
      '--rate',
      '350.5',
      '--wait',
      '0-0',
      '--processes',
      '1,2,4',
    ]);
    expect(options.runs).toBe(1);
    expect(options.soak.ratePerSecond).toBe(350.5);
    expect(options.mix.waitMs).toEqual({ min: 0, max: 0 });
    expect(options.scale.processes).toEqual([1, 2, 4]);
  });

  it.each([
    [['bogus'], /unknown scenario "bogus"/],
    [['--runs', '0'], /--runs must be an integer/],
    [['--duration', '1.5'], /--duration must be an integer/],
    [['--wait', '500-100'], /--wait must be/],
    [['--rate', 'fast'], /--rate must be a number/],
    [['--databases', '2,x'], /--databases must be an integer/],
  ])('refuses %j clearly', (argv, message) => {
    expect(() => parseSuiteOptions(argv)).toThrow(message);
  });

  it('refuses an unknown option', () => {
    expect(() => parseSuiteOptions(['--connection', '8'])).toThrow();
  });
});

describe('planSuite', () => {
  it('plans every chosen scenario, measuring the checkout reference once when checkout is not run', () => {
    const withCheckout = planSuite(
      parseSuiteOptions(['checkout', 'reads', '--runs', '1', '--duration', '10']),
    );
    const withoutCheckout = planSuite(
      parseSuiteOptions(['reads', 'soak', '--runs', '1', '--duration', '10']),
    );
    expect(withCheckout.map((part) => part.scenario)).toEqual(['checkout', 'reads']);
    expect(withoutCheckout.map((part) => part.scenario)).toEqual(['reads', 'soak']);
    const reads = (plan: ReturnType<typeof planSuite>) =>
      plan.find((part) => part.scenario === 'reads')?.seconds ?? 0;
    // reads alone pays for the app start and one 10 s checkout reference phase (+1 s settling).
    expect(reads(withoutCheckout)).toBeGreaterThan(reads(withCheckout));
    // The soak: 300 s of the app, 1 s settling, then 60 s of the ceiling at the same rate.
    expect(withoutCheckout[1].seconds).toBe(361);
    const soakAlone = (ceiling: string) =>
      planSuite(parseSuiteOptions(['soak', '--rate', '100', '--soak-ceiling-duration', ceiling]))[0].seconds;
    expect(soakAlone('60') - soakAlone('0')).toBe(61);
  });
});

describe('--help', () => {
  it('asks for the usage instead of options', () => {
    expect(() => parseSuiteOptions(['--help'])).toThrow(HelpRequested);
  });
});
