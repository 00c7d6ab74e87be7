import { DependencyBreaker } from '@eos/common';
import { isShardOutage } from './shard-outage';

// A dead database fails its calls in 2 s (connect timeout) or at once (refused): five in a row is a
// clear signal without reacting to one dropped connection. A trial call every 0.25 s to 1 s costs
// a dead server nothing, and a database that comes back serves its users again within a second
// (the chaos suite measured 3.5 to 5 s of needless refusals with a 5 s ceiling).
const CONSECUTIVE_FAILURES = 5;
const HALF_OPEN_AFTER_MS = 250;
const MAX_HALF_OPEN_AFTER_MS = 1000;

const breakers = new Map<string, DependencyBreaker>();

/**
 * This process's circuit breaker for one physical shard database (by its shard-map name). One per
 * database and process, shared by every repository call on it: what one call learns about the
 * server (it refuses connections) spares every other call the wait. Exported as
 * `eos_circuit_breaker_state{dependency="postgres:<database>"}`.
 */
export function shardBreaker(database: string): DependencyBreaker {
  let breaker = breakers.get(database);
  if (breaker === undefined) {
    breaker = new DependencyBreaker({
      dependency: `postgres:${database}`,
      isOutage: isShardOutage,
      consecutiveFailures: CONSECUTIVE_FAILURES,
      halfOpenAfterMs: HALF_OPEN_AFTER_MS,
      maxHalfOpenAfterMs: MAX_HALF_OPEN_AFTER_MS,
    });
    breakers.set(database, breaker);
  }
  return breaker;
}
