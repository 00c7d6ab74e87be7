import type { Channel, Options } from 'amqplib';

/** The durable topic exchange every order event is published to; the routing key is the event type. */
export const ORDER_EVENTS_EXCHANGE = 'eos.order-events';

/**
 * Direct exchange of the retry and parking paths. A failed message is dead-lettered here with its
 * consumer's retry key, waits out the delay in the retry queue, and comes back to that one
 * consumer's queue only: retrying through the topic exchange would redeliver to every consumer.
 */
export const ORDER_EVENTS_DLX = 'eos.order-events.dlx';

/** Every consumer of order events, with the routing patterns its queue is bound with. */
export const OrderEventConsumer = {
  MerchantProjector: 'merchant-projector',
  /** reverse-order: a cancelled paid order's refund is taken for execution. */
  RefundIntake: 'refund-intake',
  /** forward-order: a paid virtual order's goods are issued by its business line's handler. */
  VirtualFulfilment: 'virtual-fulfilment',
} as const;

export type OrderEventConsumer = (typeof OrderEventConsumer)[keyof typeof OrderEventConsumer];

export const CONSUMER_BINDINGS: Readonly<Record<OrderEventConsumer, readonly string[]>> = {
  [OrderEventConsumer.MerchantProjector]: ['order.#'],
  [OrderEventConsumer.RefundIntake]: ['order.cancelled', 'order.virtual.cancelled'],
  [OrderEventConsumer.VirtualFulfilment]: ['order.virtual.paid'],
};

export interface ConsumerQueues {
  /** Quorum queue the consumer reads, e.g. `eos.merchant-projector`. */
  readonly main: string;
  /** Holds a failed message for the retry delay, then dead-letters it back to `main`. */
  readonly retry: string;
  /** Where a message ends after its last try; nothing reads it but people. */
  readonly parking: string;
}

export function consumerQueues(consumer: OrderEventConsumer): ConsumerQueues {
  const main = `eos.${consumer}`;
  return { main, retry: `${main}.retry`, parking: `${main}.parking` };
}

export interface TopologyOptions {
  /** Delay of each retry: the retry queue's message TTL. */
  readonly retryDelayMs: number;
}

/**
 * Redeliveries of one message without a verdict (a consumer died or lost its channel while
 * handling it) before the quorum queue dead-letters it into the retry path. Our handlers never
 * requeue, so this only stops a message that crashes its consumer from looping forever. Fixed,
 * since queue arguments cannot change once the queue exists.
 */
const REDELIVERY_LIMIT = 10;

/**
 * Quorum queues dead-letter at most once unless told otherwise; at-least-once dead-lettering
 * needs overflow = reject-publish. Without it a broker hiccup during dead-lettering drops the message.
 */
const AT_LEAST_ONCE_DEAD_LETTERING = {
  'x-queue-type': 'quorum',
  'x-dead-letter-strategy': 'at-least-once',
  'x-overflow': 'reject-publish',
};

/**
 * The main queue's declaration. Used both by the topology and by the subscriber (which asserts
 * the queue it consumes), so the two always declare identical arguments.
 */
export function mainQueueOptions(consumer: OrderEventConsumer): Options.AssertQueue {
  const queues = consumerQueues(consumer);
  return {
    durable: true,
    arguments: {
      ...AT_LEAST_ONCE_DEAD_LETTERING,
      'x-delivery-limit': REDELIVERY_LIMIT,
      'x-dead-letter-exchange': ORDER_EVENTS_DLX,
      'x-dead-letter-routing-key': queues.retry,
    },
  };
}

function retryQueueOptions(consumer: OrderEventConsumer, options: TopologyOptions): Options.AssertQueue {
  return {
    durable: true,
    arguments: {
      ...AT_LEAST_ONCE_DEAD_LETTERING,
      'x-message-ttl': options.retryDelayMs,
      'x-dead-letter-exchange': ORDER_EVENTS_DLX,
      'x-dead-letter-routing-key': consumerQueues(consumer).main,
    },
  };
}

// No delivery limit: on RabbitMQ 4 quorum queues default to 20 and would drop requeued messages
// of a queue without a dead-letter exchange; set a policy with delivery-limit -1 there.
const PARKING_QUEUE_OPTIONS: Options.AssertQueue = { durable: true, arguments: { 'x-queue-type': 'quorum' } };

/**
 * Declares the whole order-event topology: the exchange, and per consumer its quorum queue,
 * retry queue and parking queue with their bindings. Idempotent; run on every (re)connect of
 * every channel that publishes or consumes, before anything else on that channel, so nothing is
 * ever published to or consumed from a missing exchange or queue.
 *
 * Queue arguments cannot change once a queue exists: a changed CONSUMER_RETRY_DELAY_MS makes the
 * broker refuse the declaration (PRECONDITION_FAILED). Delete the retry queue (it only holds
 * messages waiting for their next try) after its messages have gone back, then restart.
 */
export async function declareOrderEventTopology(channel: Channel, options: TopologyOptions): Promise<void> {
  await channel.assertExchange(ORDER_EVENTS_EXCHANGE, 'topic', { durable: true });
  await channel.assertExchange(ORDER_EVENTS_DLX, 'direct', { durable: true });
  for (const consumer of Object.values(OrderEventConsumer)) {
    const queues = consumerQueues(consumer);
    await channel.assertQueue(queues.main, mainQueueOptions(consumer));
    for (const pattern of CONSUMER_BINDINGS[consumer]) {
      await channel.bindQueue(queues.main, ORDER_EVENTS_EXCHANGE, pattern);
    }
    await channel.bindQueue(queues.main, ORDER_EVENTS_DLX, queues.main);
    await channel.assertQueue(queues.retry, retryQueueOptions(consumer, options));
    await channel.bindQueue(queues.retry, ORDER_EVENTS_DLX, queues.retry);
    await channel.assertQueue(queues.parking, PARKING_QUEUE_OPTIONS);
    await channel.bindQueue(queues.parking, ORDER_EVENTS_DLX, queues.parking);
  }
}
