import { Counter, register } from 'prom-client';

function counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
  const existing = register.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames });
}

/** Transitions attempted, by action and outcome (applied, refused, conflict). */
export const orderTransitions = counter(
  'eos_order_transitions_total',
  'Forward order transitions by action and outcome',
  ['action', 'outcome'],
);

/** Writes that lost the version race and were decided again on fresh data. */
export const orderTransitionRetries = counter(
  'eos_order_transition_retries_total',
  'Forward transitions re-decided because the order version moved',
  ['action'],
);

/** Orders a sweep handled, by sweep and result (applied, skipped, failed). */
export const sweptOrders = counter('eos_sweep_orders_total', 'Orders handled by deadline sweeps', [
  'sweep',
  'result',
]);
