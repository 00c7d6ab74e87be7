import amqp, { type ChannelModel } from 'amqplib';
import { COMMITTED_AT_HEADER, ORDER_EVENTS_EXCHANGE } from '@eos/messaging';
import { LatencyRecorder } from '../load/latency-stats';

/**
 * A consumer of its own (an exclusive, auto-deleted queue bound to `order.created`) that records,
 * for every event of orders written inside a window, the time from the outbox write (header
 * `x-eos-committed-at`) to its arrival here: commit-to-consume, as any consumer of the exchange
 * sees it. It acknowledges nothing (no-ack), so it adds no work of its own to the broker's path.
 */
export class EventLatencyTap {
  private readonly latency = new LatencyRecorder();
  private readonly seen = new Set<string>();
  private duplicates = 0;
  private window: { from: number; to: number } | undefined;

  private constructor(private readonly connection: ChannelModel) {}

  static async open(url: string): Promise<EventLatencyTap> {
    const connection = await amqp.connect(url);
    const channel = await connection.createChannel();
    await channel.assertExchange(ORDER_EVENTS_EXCHANGE, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, ORDER_EVENTS_EXCHANGE, 'order.created');
    const tap = new EventLatencyTap(connection);
    await channel.consume(
      queue,
      (message) => {
        if (message) tap.receive(message.properties.headers, message.properties.messageId);
      },
      { noAck: true },
    );
    return tap;
  }

  /** Counts only events written in [from, to] (epoch ms); earlier ones (warm-up, backlog) are ignored. */
  measure(from: number, to: number): void {
    this.window = { from, to };
  }

  get received(): number {
    return this.latency.count;
  }

  get duplicateCount(): number {
    return this.duplicates;
  }

  summary(): ReturnType<LatencyRecorder['summary']> {
    return this.latency.summary();
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  private receive(headers: Record<string, unknown> | undefined, messageId: unknown): void {
    const arrivedAt = Date.now();
    const committedAt = Date.parse(String(headers?.[COMMITTED_AT_HEADER]));
    const window = this.window;
    if (!window || Number.isNaN(committedAt) || committedAt < window.from || committedAt > window.to) return;
    const id = String(messageId);
    if (this.seen.has(id)) {
      this.duplicates += 1;
      return;
    }
    this.seen.add(id);
    this.latency.record(arrivedAt - committedAt);
  }
}
