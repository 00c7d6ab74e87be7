import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { ORDER_EVENTS_EXCHANGE } from '@eos/messaging';

/** One message as a test saw it on the order-events exchange. */
export interface TappedEvent {
  readonly eventId: string;
  readonly orderId: string;
  readonly orderVersion: number;
  readonly routingKey: string;
  readonly redelivered: boolean;
}

/**
 * A test's own view of the order-events exchange: a durable queue bound to `order.#` that keeps
 * every event published while it exists, including across a broker stop (it is durable and its
 * messages persistent), and expires on its own if a test dies before deleting it.
 */
export class OrderEventTap {
  readonly events: TappedEvent[] = [];

  private constructor(
    private readonly url: string,
    readonly queue: string,
  ) {}

  static async create(url: string, pattern = 'order.#'): Promise<OrderEventTap> {
    const queue = `eos.test-tap.${randomBytes(6).toString('hex')}`;
    const connection = await amqp.connect(url);
    try {
      const channel = await connection.createChannel();
      await channel.assertExchange(ORDER_EVENTS_EXCHANGE, 'topic', { durable: true });
      await channel.assertQueue(queue, { durable: true, arguments: { 'x-expires': 30 * 60_000 } });
      await channel.bindQueue(queue, ORDER_EVENTS_EXCHANGE, pattern);
    } finally {
      await connection.close();
    }
    return new OrderEventTap(url, queue);
  }

  /**
   * Reads the queue until `done(events)` holds, then `quietMs` more (so duplicates close behind
   * show up), or until `timeoutMs`. Every message read is kept in `events`.
   */
  async drain(
    done: (events: readonly TappedEvent[]) => boolean,
    timeoutMs: number,
    quietMs = 500,
  ): Promise<void> {
    const connection = await amqp.connect(this.url);
    connection.on('error', () => undefined);
    try {
      const channel = await connection.createChannel();
      await channel.prefetch(500);
      let satisfied = done(this.events);
      let resolveDone: () => void = () => undefined;
      const finished = new Promise<void>((resolve) => {
        resolveDone = resolve;
      });
      if (satisfied) resolveDone();
      await channel.consume(this.queue, (message) => {
        if (!message) return;
        const body = JSON.parse(message.content.toString('utf8')) as {
          eventId: string;
          orderId: string;
          orderVersion: number;
        };
        this.events.push({
          eventId: body.eventId,
          orderId: body.orderId,
          orderVersion: body.orderVersion,
          routingKey: message.fields.routingKey,
          redelivered: message.fields.redelivered,
        });
        channel.ack(message);
        if (!satisfied && done(this.events)) {
          satisfied = true;
          resolveDone();
        }
      });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([finished, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    } finally {
      await connection.close().catch(() => undefined);
    }
  }

  /** How often each event id arrived, among the events of `orderIds`. */
  countsFor(orderIds: ReadonlySet<string>): Map<string, number> {
    const counts = new Map<string, number>();
    for (const event of this.events) {
      if (orderIds.has(event.orderId)) counts.set(event.eventId, (counts.get(event.eventId) ?? 0) + 1);
    }
    return counts;
  }

  async delete(): Promise<void> {
    const connection = await amqp.connect(this.url);
    try {
      const channel = await connection.createChannel();
      await channel.deleteQueue(this.queue);
    } finally {
      await connection.close();
    }
  }
}
