import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Concurrent requests in flight: autocannon connections, and SQL loops for the ceiling. */
  readonly connections: number;
  /** Seconds of each measured phase. */
  readonly durationSeconds: number;
  /** App + ceiling pairs to measure; medians are reported over them. */
  readonly runs: number;
  /** Seconds of unmeasured load on each side before the first run. */
  readonly warmupSeconds: number;
  /** Customers to spread the load over (tokens are minted for each up front). */
  readonly users: number;
  /**
   * Also measure virtual order creation (`POST /v1/virtual-orders`) beside a delivery checkout
   * phase of the same length, against the same app, after the runs.
   */
  readonly virtual: boolean;
}

export const BENCH_USAGE = `usage: npm run bench:checkout -- [--connections 64] [--duration 30] [--runs 1] [--warmup 3] [--users 20000] [--virtual]`;

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      connections: { type: 'string', default: '64' },
      duration: { type: 'string', default: '30' },
      runs: { type: 'string', default: '1' },
      warmup: { type: 'string', default: '3' },
      users: { type: 'string', default: '20000' },
      virtual: { type: 'boolean', default: false },
    },
  });
  return {
    connections: integerIn('--connections', values.connections, 1, 10_000),
    durationSeconds: integerIn('--duration', values.duration, 1, 3_600),
    runs: integerIn('--runs', values.runs, 1, 100),
    warmupSeconds: integerIn('--warmup', values.warmup, 0, 600),
    users: integerIn('--users', values.users, 1, 1_000_000),
    virtual: values.virtual,
  };
}

function integerIn(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}
