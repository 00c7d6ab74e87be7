import { parseArgs } from 'node:util';

export interface EventsBenchOptions {
  /** Checkout requests in flight (autocannon connections). */
  readonly connections: number;
  /** Seconds of measured checkout load. */
  readonly durationSeconds: number;
  /** Seconds of unmeasured load first (fills caches and pools). */
  readonly warmupSeconds: number;
  readonly users: number;
  /** Longest wait after the load for the last events to arrive. */
  readonly drainSeconds: number;
}

export const EVENTS_BENCH_USAGE =
  'usage: npm run bench:events -- [--connections 64] [--duration 30] [--warmup 3] [--users 20000] [--drain 60]';

export function parseEventsBenchOptions(argv: readonly string[]): EventsBenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      connections: { type: 'string', default: '64' },
      duration: { type: 'string', default: '30' },
      warmup: { type: 'string', default: '3' },
      users: { type: 'string', default: '20000' },
      drain: { type: 'string', default: '60' },
    },
  });
  return {
    connections: integerIn('--connections', values.connections, 1, 10_000),
    durationSeconds: integerIn('--duration', values.duration, 1, 3_600),
    warmupSeconds: integerIn('--warmup', values.warmup, 0, 600),
    users: integerIn('--users', values.users, 1, 1_000_000),
    drainSeconds: integerIn('--drain', values.drain, 1, 3_600),
  };
}

function integerIn(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}
