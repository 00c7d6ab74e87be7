import { parseArgs } from 'node:util';
import { CHAOS_SCENARIOS } from './chaos-scenarios';

export interface ChaosOptions {
  /** Checkouts per second of the steady load. */
  readonly rate: number;
  readonly baselineSeconds: number;
  readonly faultSeconds: number;
  readonly recoverySeconds: number;
  /** Longest wait after each scenario's load for its last events. */
  readonly drainSeconds: number;
  /** The client gives up on a checkout answer after this long. */
  readonly clientTimeoutMs: number;
  /** Scenario names to run, in the suite's order; all when empty. */
  readonly only: readonly string[];
}

export const CHAOS_USAGE =
  'usage: npm run chaos -- [--rate 30] [--baseline 3] [--fault 8] [--recovery 8] [--drain 60] [--client-timeout-ms 10000] [--only name,name]';

export function parseChaosOptions(argv: readonly string[]): ChaosOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      rate: { type: 'string', default: '30' },
      baseline: { type: 'string', default: '3' },
      fault: { type: 'string', default: '8' },
      recovery: { type: 'string', default: '8' },
      drain: { type: 'string', default: '60' },
      'client-timeout-ms': { type: 'string', default: '10000' },
      only: { type: 'string', default: '' },
    },
  });
  const known = new Set(CHAOS_SCENARIOS.map((scenario) => scenario.name));
  const only = values.only
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of only) {
    if (!known.has(name))
      throw new RangeError(`--only: unknown scenario "${name}" (known: ${[...known].join(', ')})`);
  }
  return {
    rate: integerIn('--rate', values.rate, 1, 1000),
    baselineSeconds: integerIn('--baseline', values.baseline, 1, 600),
    faultSeconds: integerIn('--fault', values.fault, 1, 600),
    recoverySeconds: integerIn('--recovery', values.recovery, 1, 600),
    drainSeconds: integerIn('--drain', values.drain, 1, 3600),
    clientTimeoutMs: integerIn('--client-timeout-ms', values['client-timeout-ms'], 100, 600_000),
    only,
  };
}

function integerIn(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}
