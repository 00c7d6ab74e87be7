import { Counter, Gauge, Histogram, register } from 'prom-client';

function metric<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

/** Calls answered, by method and gRPC status name. */
export const blinkCalls = metric(
  'eos_blink_calls_total',
  () =>
    new Counter({
      name: 'eos_blink_calls_total',
      help: 'Partner bridge calls by method and gRPC status',
      labelNames: ['method', 'code'],
    }),
);

/** Time to answer a unary call, by method. */
export const blinkCallSeconds = metric(
  'eos_blink_call_seconds',
  () =>
    new Histogram({
      name: 'eos_blink_call_seconds',
      help: 'Partner bridge unary call latency',
      labelNames: ['method'],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    }),
);

/** Feed streams open now. */
export const feedStreams = metric(
  'eos_blink_feed_streams',
  () => new Gauge({ name: 'eos_blink_feed_streams', help: 'Merchant feed streams open' }),
);

/** From an order's change at its source to the change leaving on a merchant's feed stream. */
export const feedDelaySeconds = metric(
  'eos_blink_feed_delay_seconds',
  () =>
    new Histogram({
      name: 'eos_blink_feed_delay_seconds',
      help: 'Order change (source commit time) to feed stream write',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
);

/** Merchant feed entries deleted after FEED_RETENTION_HOURS. */
export const feedEntriesPruned = metric(
  'eos_blink_feed_pruned_total',
  () =>
    new Counter({
      name: 'eos_blink_feed_pruned_total',
      help: 'Merchant feed entries deleted after the retention',
    }),
);
