import { collectDefaultMetrics, register } from 'prom-client';

let started = false;

/** Process metrics (CPU, memory, event-loop lag), labelled by app; safe to call more than once. */
export function startDefaultMetrics(app: string): void {
  if (started) return;
  started = true;
  register.setDefaultLabels({ app });
  collectDefaultMetrics();
}
