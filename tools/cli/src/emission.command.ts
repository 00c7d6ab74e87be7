import { parseArgs } from 'node:util';
import { connectRedis, createRedisClient } from '@eos/cache';
import type { EosConfig } from '@eos/common';
import {
  ORDER_EVENT_TYPES,
  EmissionFlagStore,
  emissionOn,
  isEmissionScope,
  type EmissionState,
} from '@eos/messaging';
import { UsageError } from './usage.error';

export function formatEmission(state: EmissionState): string {
  const lines = [`global            ${state.global ? 'on' : 'OFF (every event is held in the outbox)'}`];
  for (const type of ORDER_EVENT_TYPES) {
    const on = emissionOn(state, type);
    lines.push(`${type.padEnd(18)}${on ? 'on' : 'OFF (held in the outbox)'}`);
  }
  return lines.join('\n');
}

/**
 * `eos emission status|on|off [--type <event type>]`: shows or switches the emission flags in Redis.
 * Every running relay picks a switch up within EMISSION_REFRESH_MS; held events stay in the outbox
 * and flow, in order, once switched back on.
 */
export async function emissionCommand(config: EosConfig, args: string[]): Promise<EmissionState> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { type: { type: 'string' } } });
  } catch {
    throw new UsageError();
  }
  const [action, ...rest] = parsed.positionals;
  const scope = parsed.values.type ?? 'global';
  if (rest.length > 0 || !['status', 'on', 'off'].includes(action ?? '')) throw new UsageError();
  if (!isEmissionScope(scope)) {
    throw new Error(`unknown event type "${scope}"; one of ${ORDER_EVENT_TYPES.join(', ')}`);
  }
  if (action === 'status' && parsed.values.type !== undefined) throw new UsageError();
  const redis = createRedisClient({
    url: config.REDIS_URL,
    commandTimeoutMs: Math.max(config.REDIS_COMMAND_TIMEOUT_MS, 2000),
    name: 'eos-cli',
  });
  try {
    if (!(await connectRedis(redis))) throw new Error(`cannot reach Redis at ${config.REDIS_URL}`);
    const store = new EmissionFlagStore(redis);
    if (action !== 'status') {
      await store.set(scope, action === 'on');
      console.log(
        `emission ${scope === 'global' ? '' : `of ${scope} `}switched ${action}; relays follow within ${config.EMISSION_REFRESH_MS} ms`,
      );
    }
    const state = await store.read();
    console.log(formatEmission(state));
    return state;
  } finally {
    redis.disconnect();
  }
}
