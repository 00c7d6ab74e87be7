import { parseArgs } from 'node:util';

export interface BlinkBenchOptions {
  /** Orders created, paid, seen on the feed and accepted. */
  readonly orders: number;
  /** Demo merchants the orders spread over; one feed stream each. */
  readonly merchants: number;
  /** Payments per second (the feed delay is measured at this steady rate, not under overload). */
  readonly payRate: number;
  /** AcceptOrder calls in flight at once. */
  readonly concurrency: number;
  /** Deadline of each AcceptOrder call, milliseconds. */
  readonly deadlineMs: number;
}

export const BLINK_BENCH_USAGE =
  'usage: npm run bench:blink -- [--orders 1000] [--merchants 16] [--pay-rate 50] [--concurrency 16] [--deadline-ms 1000]';

export function parseBlinkBenchOptions(argv: readonly string[]): BlinkBenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      orders: { type: 'string', default: '1000' },
      merchants: { type: 'string', default: '16' },
      'pay-rate': { type: 'string', default: '50' },
      concurrency: { type: 'string', default: '16' },
      'deadline-ms': { type: 'string', default: '1000' },
    },
  });
  return {
    orders: integerIn('--orders', values.orders, 1, 1_000_000),
    merchants: integerIn('--merchants', values.merchants, 1, 1000),
    payRate: integerIn('--pay-rate', values['pay-rate'], 1, 100_000),
    concurrency: integerIn('--concurrency', values.concurrency, 1, 1000),
    deadlineMs: integerIn('--deadline-ms', values['deadline-ms'], 10, 60_000),
  };
}

function integerIn(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}
