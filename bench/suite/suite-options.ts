import { parseArgs } from 'node:util';

export const SCENARIOS = ['checkout', 'reads', 'mix', 'soak', 'scale'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface SuiteOptions {
  /** Scenarios to run, in the suite's order; every one when none is named. */
  readonly scenarios: readonly ScenarioName[];
  /** Measured repetitions of checkout and reads (figures are their medians). */
  readonly runs: number;
  /** Seconds of each closed-model phase (checkout, ceiling, reads, scale). */
  readonly durationSeconds: number;
  /** Requests in flight in the closed model (autocannon connections, ceiling loops). */
  readonly connections: number;
  /** Seconds of unmeasured load before the first measured phase of each app. */
  readonly warmupSeconds: number;
  /** Customers minted up front (spread over the 120 user shards). */
  readonly customers: number;
  readonly mix: {
    readonly durationSeconds: number;
    readonly users: number;
    readonly spawnRatePerSecond: number;
    readonly waitMs: { readonly min: number; readonly max: number };
    /** Weight of customer cancellations of paid orders, against menu 60, checkout 20, pay 10, orders 10. */
    readonly refundWeight: number;
  };
  readonly soak: {
    readonly durationSeconds: number;
    /** Checkouts per second; by default 70 % of the median checkout rate measured in this invocation. */
    readonly ratePerSecond: number | undefined;
    readonly maxInFlight: number;
    /** Seconds of the ceiling at the same rate after the app's soak (0: none). */
    readonly ceilingDurationSeconds: number;
  };
  readonly scale: {
    readonly processes: readonly number[];
    readonly databases: readonly number[];
    readonly runs: number;
  };
}

export const SUITE_USAGE = `usage: npm run bench -- [checkout|reads|mix|soak|scale ...] [options]
  --runs 3            measured repetitions of checkout and reads (medians reported)
  --duration 20       seconds per closed-model phase (checkout, ceiling, reads, scale)
  --connections 64    requests in flight in the closed model
  --warmup 3          seconds of unmeasured load before each app's first phase
  --customers 20000   customers spread over the 120 user shards
  --mix-duration 60   --mix-users 200   --spawn-rate 50   --wait 100-500 (ms between a user's tasks)
  --refund-weight 1.5 cancellations of own paid orders in the mix (0 leaves reverse-order out)
  --soak-duration 300 --rate <checkouts/s> (default 70% of the median checkout rate) --max-in-flight 1000
  --soak-ceiling-duration 60  the checkout statement straight from pg at the soak's rate (0: skip)
  --processes 1,2     forward-order processes (node:cluster) in the scale scenario
  --databases 2,4     shard databases (eos_bench_<n>db_*) in the scale scenario
  --scale-runs 1      measured phases per scale configuration`;

/** `--help`: the caller prints the usage and stops, successfully. */
export class HelpRequested extends Error {
  constructor() {
    super('help requested');
    this.name = 'HelpRequested';
  }
}

export function parseSuiteOptions(argv: readonly string[]): SuiteOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      runs: { type: 'string', default: '3' },
      duration: { type: 'string', default: '20' },
      connections: { type: 'string', default: '64' },
      warmup: { type: 'string', default: '3' },
      customers: { type: 'string', default: '20000' },
      'mix-duration': { type: 'string', default: '60' },
      'mix-users': { type: 'string', default: '200' },
      'spawn-rate': { type: 'string', default: '50' },
      wait: { type: 'string', default: '100-500' },
      'refund-weight': { type: 'string', default: '1.5' },
      'soak-duration': { type: 'string', default: '300' },
      rate: { type: 'string' },
      'max-in-flight': { type: 'string', default: '1000' },
      'soak-ceiling-duration': { type: 'string', default: '60' },
      processes: { type: 'string', default: '1,2' },
      databases: { type: 'string', default: '2,4' },
      'scale-runs': { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) throw new HelpRequested();
  for (const name of positionals) {
    if (!(SCENARIOS as readonly string[]).includes(name)) {
      throw new RangeError(`unknown scenario "${name}": choose from ${SCENARIOS.join(', ')}`);
    }
  }
  // Always in the suite's order: reads and soak take their reference rate from checkout.
  const scenarios = SCENARIOS.filter((name) => positionals.length === 0 || positionals.includes(name));
  const wait = /^(\d+)-(\d+)$/.exec(values.wait);
  if (!wait || Number(wait[1]) > Number(wait[2])) {
    throw new RangeError(`--wait must be <min ms>-<max ms> with min <= max, got "${values.wait}"`);
  }
  return {
    scenarios,
    runs: integerIn('--runs', values.runs, 1, 100),
    durationSeconds: integerIn('--duration', values.duration, 1, 3_600),
    connections: integerIn('--connections', values.connections, 1, 10_000),
    warmupSeconds: integerIn('--warmup', values.warmup, 0, 600),
    customers: integerIn('--customers', values.customers, 1, 1_000_000),
    mix: {
      durationSeconds: integerIn('--mix-duration', values['mix-duration'], 1, 3_600),
      users: integerIn('--mix-users', values['mix-users'], 1, 100_000),
      spawnRatePerSecond: numberIn('--spawn-rate', values['spawn-rate'], 0.1, 100_000),
      waitMs: { min: Number(wait[1]), max: Number(wait[2]) },
      refundWeight: numberIn('--refund-weight', values['refund-weight'], 0, 100),
    },
    soak: {
      durationSeconds: integerIn('--soak-duration', values['soak-duration'], 1, 24 * 3_600),
      ratePerSecond: values.rate === undefined ? undefined : numberIn('--rate', values.rate, 0.1, 1_000_000),
      maxInFlight: integerIn('--max-in-flight', values['max-in-flight'], 1, 100_000),
      ceilingDurationSeconds: integerIn(
        '--soak-ceiling-duration',
        values['soak-ceiling-duration'],
        0,
        24 * 3_600,
      ),
    },
    scale: {
      processes: integerList('--processes', values.processes, 1, 64),
      databases: integerList('--databases', values.databases, 1, 16),
      runs: integerIn('--scale-runs', values['scale-runs'], 1, 100),
    },
  };
}

function integerIn(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function numberIn(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || value < min || value > max) {
    throw new RangeError(`${name} must be a number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function integerList(name: string, text: string, min: number, max: number): number[] {
  const values = text.split(',').map((part) => integerIn(name, part.trim(), min, max));
  return [...new Set(values)];
}
