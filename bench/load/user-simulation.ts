import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** Milliseconds after the start at which simulated user `index` (0-based) joins. */
export function spawnOffsetMs(index: number, spawnRatePerSecond: number): number {
  return (index * 1000) / spawnRatePerSecond;
}

/** A user's pause between two tasks: uniform in [minMs, maxMs], from a random number in [0, 1). */
export function waitTimeMs(minMs: number, maxMs: number, random: number): number {
  return minMs + (maxMs - minMs) * random;
}

/**
 * Picks an index by weight from a random number in [0, 1): weight 60 of a total 100 is picked for
 * 60 % of the numbers. Weights must be non-negative with a positive sum.
 */
export function pickWeighted(weights: readonly number[], random: number): number {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (!(total > 0) || weights.some((weight) => weight < 0)) {
    throw new RangeError('weights must be non-negative with a positive sum');
  }
  let threshold = random * total;
  for (let i = 0; i < weights.length; i += 1) {
    if (threshold < weights[i]) return i;
    threshold -= weights[i];
  }
  // random * total rounded up to total: the last index with weight.
  for (let i = weights.length - 1; i >= 0; i -= 1) if (weights[i] > 0) return i;
  return weights.length - 1;
}

export interface UserSimulationOptions<User> {
  readonly users: number;
  /** Users joining per second until all have (Locust's spawn rate). */
  readonly spawnRatePerSecond: number;
  readonly durationSeconds: number;
  /** Pause between a user's tasks, uniform in [min, max] ms (Locust's wait_time = between). */
  readonly waitMs: { readonly min: number; readonly max: number };
  readonly createUser: (index: number) => User;
  /** One task of a user: picks what to do and records it itself; must not throw. */
  readonly act: (user: User) => Promise<void>;
}

/**
 * Simulated users in the Locust spirit: `users` of them join at `spawnRatePerSecond`, each running
 * its tasks one after another with a random wait between, until `durationSeconds` after the start.
 * A user's next task waits for its previous answer (as a person would); the users do not wait for
 * each other. Returns the wall seconds from the start until the last task ended.
 */
export async function runUserSimulation<User>(options: UserSimulationOptions<User>): Promise<number> {
  const startedAt = performance.now();
  const deadline = startedAt + options.durationSeconds * 1000;
  const live = async (index: number): Promise<void> => {
    const joinAt = startedAt + spawnOffsetMs(index, options.spawnRatePerSecond);
    if (joinAt >= deadline) return;
    await sleep(Math.max(0, joinAt - performance.now()));
    const user = options.createUser(index);
    while (performance.now() < deadline) {
      await options.act(user);
      const pause = waitTimeMs(options.waitMs.min, options.waitMs.max, Math.random());
      if (performance.now() + pause >= deadline) break;
      await sleep(pause);
    }
  };
  await Promise.all(Array.from({ length: options.users }, (_, index) => live(index)));
  return (performance.now() - startedAt) / 1000;
}
