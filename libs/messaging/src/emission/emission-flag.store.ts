import type { OrderEventType } from '@eos/domain';
import type Redis from 'ioredis';
import { ORDER_EVENT_TYPES, isOrderEventType } from '../order-event.envelope';

/** Redis hash of the emission flags: field `global` and one field `type:<event type>` per type. */
export const EMISSION_KEY = 'eos:emission';
const OFF = 'off';

/** `global` switches every event type; an event type switches only itself. */
export type EmissionScope = 'global' | OrderEventType;

export interface EmissionState {
  /** False holds every event in the outbox. */
  readonly global: boolean;
  /** Event types held in the outbox while `global` is on. */
  readonly heldTypes: readonly OrderEventType[];
}

export const EMISSION_ALL_ON: EmissionState = Object.freeze({ global: true, heldTypes: Object.freeze([]) });

function fieldOf(scope: EmissionScope): string {
  return scope === 'global' ? 'global' : `type:${scope}`;
}

/** Reads the hash: a field set to "off" holds its scope; a missing field (or anything else) is on. */
export function emissionStateFrom(hash: Readonly<Record<string, string>>): EmissionState {
  return {
    global: hash[fieldOf('global')] !== OFF,
    heldTypes: ORDER_EVENT_TYPES.filter((type) => hash[fieldOf(type)] === OFF),
  };
}

export function isEmissionScope(value: unknown): value is EmissionScope {
  return value === 'global' || isOrderEventType(value);
}

export function emissionOn(state: EmissionState, scope: EmissionScope): boolean {
  if (scope === 'global') return state.global;
  return !state.heldTypes.includes(scope);
}

/** The emission flags in Redis: read by every relay, switched by the `emission` CLI command. */
export class EmissionFlagStore {
  constructor(private readonly redis: Redis) {}

  async read(): Promise<EmissionState> {
    return emissionStateFrom(await this.redis.hgetall(EMISSION_KEY));
  }

  /** Switching on deletes the field, so "on" is also what a fresh or flushed Redis says. */
  async set(scope: EmissionScope, on: boolean): Promise<void> {
    if (on) await this.redis.hdel(EMISSION_KEY, fieldOf(scope));
    else await this.redis.hset(EMISSION_KEY, fieldOf(scope), OFF);
  }
}
