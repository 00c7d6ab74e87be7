import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { circuitBreakerRejections, circuitBreakerState } from './breaker.metrics';

export interface DependencyBreakerOptions {
  /** The dependency in metrics and errors, e.g. `postgres:eos_shard_0` or `redis`. */
  readonly dependency: string;
  /**
   * Which errors say the dependency itself is failing (refused, reset, unreachable, timed out on
   * connect). Only these count towards opening; a caller's own fault (a constraint violation, a bad
   * query) says nothing about the dependency and is passed through untouched.
   */
  readonly isOutage: (error: unknown) => boolean;
  /** Outage errors in a row that open the circuit. */
  readonly consecutiveFailures?: number;
  /** Wait before the first trial call once open; each failed trial doubles it, up to the maximum. */
  readonly halfOpenAfterMs?: number;
  readonly maxHalfOpenAfterMs?: number;
}

/** Thrown, without calling the dependency, while its circuit is open. */
export class CircuitOpenError extends Error {
  constructor(readonly dependency: string) {
    super(`${dependency} is failing: its circuit is open, calls are refused until a trial call succeeds`);
    this.name = 'CircuitOpenError';
  }
}

export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

const STATE_NAMES: Readonly<Record<CircuitState, BreakerState>> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/**
 * A circuit breaker in front of one dependency (cockatiel underneath). After a run of outage
 * errors it opens: calls fail at once with CircuitOpenError instead of each one waiting out a
 * connect timeout against a dead server and piling up behind it. After a pause (with backoff), one
 * trial call goes through; while it runs, the others still fail fast rather than queue behind it.
 * Its success closes the circuit, its failure opens it again for longer.
 * The state is exported as `eos_circuit_breaker_state{dependency}`.
 */
export class DependencyBreaker {
  readonly dependency: string;
  private readonly policy: CircuitBreakerPolicy;

  constructor(options: DependencyBreakerOptions) {
    this.dependency = options.dependency;
    const initialDelay = options.halfOpenAfterMs ?? 500;
    this.policy = circuitBreaker(handleWhen(options.isOutage), {
      breaker: new ConsecutiveBreaker(options.consecutiveFailures ?? 5),
      halfOpenAfter: new ExponentialBackoff({
        initialDelay,
        maxDelay: Math.max(initialDelay, options.maxHalfOpenAfterMs ?? 5000),
      }),
    });
    circuitBreakerState.set({ dependency: this.dependency }, CircuitState.Closed);
    this.policy.onStateChange((state) => circuitBreakerState.set({ dependency: this.dependency }, state));
  }

  get state(): BreakerState {
    return STATE_NAMES[this.policy.state];
  }

  /** Runs `work` through the breaker; CircuitOpenError when the circuit refuses it. */
  async execute<T>(work: () => Promise<T>): Promise<T> {
    // cockatiel makes calls wait for a half-open trial to finish; failing fast is the point here.
    if (this.policy.state === CircuitState.HalfOpen) throw this.refused();
    try {
      return await this.policy.execute(() => work());
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw this.refused();
      throw error;
    }
  }

  private refused(): CircuitOpenError {
    circuitBreakerRejections.inc({ dependency: this.dependency });
    return new CircuitOpenError(this.dependency);
  }
}
