import { Counter, Gauge, register } from 'prom-client';

function gauge(): Gauge<'dependency'> {
  const existing = register.getSingleMetric('eos_circuit_breaker_state');
  if (existing) return existing as Gauge<'dependency'>;
  return new Gauge({
    name: 'eos_circuit_breaker_state',
    help: 'Circuit breaker state per dependency: 0 closed, 1 open, 2 half-open (one trial call), 3 held open',
    labelNames: ['dependency'],
  });
}

function counter(): Counter<'dependency'> {
  const existing = register.getSingleMetric('eos_circuit_breaker_rejections_total');
  if (existing) return existing as Counter<'dependency'>;
  return new Counter({
    name: 'eos_circuit_breaker_rejections_total',
    help: 'Calls refused at once because the dependency circuit was open',
    labelNames: ['dependency'],
  });
}

/** The state of each dependency's breaker, with cockatiel's numbering (CircuitState). */
export const circuitBreakerState = gauge();
/** Calls a breaker refused without trying the dependency. */
export const circuitBreakerRejections = counter();
