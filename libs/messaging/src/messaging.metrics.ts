import { Counter, Gauge, Histogram, register } from 'prom-client';

// Registered once per process: a second copy of this module (tests, two apps in one process)
// finds the metric already in the default registry and shares it.
function single<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

const LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

/** Unsent outbox rows per user shard (label `shard` = schema, at most 120 values). */
export const outboxBacklog = single(
  'eos_outbox_backlog',
  () =>
    new Gauge({
      name: 'eos_outbox_backlog',
      help: 'Outbox rows not yet published, per user shard',
      labelNames: ['shard'],
    }),
);

/** From the outbox row's write to the broker's publisher confirm. */
export const outboxCommitToConfirm = single(
  'eos_outbox_commit_to_confirm_seconds',
  () =>
    new Histogram({
      name: 'eos_outbox_commit_to_confirm_seconds',
      help: 'Time from writing an outbox row to the broker confirming its event',
      buckets: LAG_BUCKETS,
    }),
);

export const outboxPublished = single(
  'eos_outbox_published_total',
  () =>
    new Counter({
      name: 'eos_outbox_published_total',
      help: 'Order events published and confirmed, by event type',
      labelNames: ['event_type'],
    }),
);

/** Reasons: timeout, unroutable, nacked, unavailable (broker down), database. */
export const outboxPublishFailures = single(
  'eos_outbox_publish_failures_total',
  () =>
    new Counter({
      name: 'eos_outbox_publish_failures_total',
      help: 'Outbox rows or relay batches that failed and stay unsent for a later try, by reason',
      labelNames: ['reason'],
    }),
);

export const outboxPruned = single(
  'eos_outbox_pruned_total',
  () => new Counter({ name: 'eos_outbox_pruned_total', help: 'Published outbox rows deleted by the pruner' }),
);

/** 1 while emission is on, per scope (`global` or an event type). */
export const emissionEnabled = single(
  'eos_emission_enabled',
  () =>
    new Gauge({
      name: 'eos_emission_enabled',
      help: 'Whether order events are emitted (1) or held in the outbox (0), globally and per event type',
      labelNames: ['scope'],
    }),
);

/** From the outbox row's write to a consumer receiving the event (first delivery only). */
export const consumerLag = single(
  'eos_consumer_lag_seconds',
  () =>
    new Histogram({
      name: 'eos_consumer_lag_seconds',
      help: 'Time from writing an order event to its consumer receiving it',
      labelNames: ['consumer'],
      buckets: LAG_BUCKETS,
    }),
);

/** Outcomes: handled, retried, parked, postponed (a database it needs was down; its tries are kept). */
export const consumerMessages = single(
  'eos_consumer_messages_total',
  () =>
    new Counter({
      name: 'eos_consumer_messages_total',
      help: 'Order-event deliveries by consumer and outcome',
      labelNames: ['consumer', 'outcome'],
    }),
);

export const rabbitmqConnected = single(
  'eos_rabbitmq_connected',
  () => new Gauge({ name: 'eos_rabbitmq_connected', help: '1 while connected to RabbitMQ' }),
);

/** Age of the oldest unsent outbox row per user shard: the relay's lag, growing while it is stuck. */
export const outboxOldestUnsent = single(
  'eos_outbox_oldest_unsent_seconds',
  () =>
    new Gauge({
      name: 'eos_outbox_oldest_unsent_seconds',
      help: 'Seconds the oldest unpublished outbox row has waited, per user shard (0 when none waits)',
      labelNames: ['shard'],
    }),
);
