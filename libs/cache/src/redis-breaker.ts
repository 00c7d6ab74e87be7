import { DependencyBreaker } from '@eos/common';
import type Redis from 'ioredis';

// Redis is an accelerator here: after three failures in a row (a command timeout is 300 ms) it is
// skipped, and tried again after 250 ms, backing off to 1 s while it stays away.
const CONSECUTIVE_FAILURES = 3;
const HALF_OPEN_AFTER_MS = 250;
const MAX_HALF_OPEN_AFTER_MS = 1000;

const breakers = new WeakMap<Redis, DependencyBreaker>();

/**
 * A failure of Redis itself (timeout, closed or refused connection, no offline queue), as opposed
 * to an error reply, which proves Redis answered.
 */
export function isRedisOutage(error: unknown): boolean {
  return error instanceof Error && error.name !== 'ReplyError';
}

/**
 * The circuit breaker of one Redis client, shared by the caches built on it. The caches go through
 * it so that a Redis that hangs (each command waiting out REDIS_COMMAND_TIMEOUT_MS) is bypassed at
 * once: the fallback (the database) answers instead, as it does when Redis is down. Users of Redis
 * that need it (the worker lease, locks) call it directly and keep their own timeouts.
 * Exported as `eos_circuit_breaker_state{dependency="redis:<connection name>"}`.
 */
export function redisBreaker(redis: Redis): DependencyBreaker {
  let breaker = breakers.get(redis);
  if (breaker === undefined) {
    breaker = new DependencyBreaker({
      dependency: `redis:${redis.options.connectionName ?? 'default'}`,
      isOutage: isRedisOutage,
      consecutiveFailures: CONSECUTIVE_FAILURES,
      halfOpenAfterMs: HALF_OPEN_AFTER_MS,
      maxHalfOpenAfterMs: MAX_HALF_OPEN_AFTER_MS,
    });
    breakers.set(redis, breaker);
  }
  return breaker;
}
