import { setTimeout as sleep } from 'node:timers/promises';
import amqp, { type ChannelModel, type ConsumeMessage } from 'amqplib';
import { ORDER_EVENTS_EXCHANGE } from '@eos/messaging';

const LEDGER_QUEUE = 'eos.chaos-ledger';
const RECONNECT_MS = 500;

/**
 * The suite's own consumer of every order event: a durable queue bound to `order.#` on the chaos
 * broker (directly, not through the fault proxy), so events published while it is disconnected,
 * or while the broker restarts, wait for it. It records each event id's first arrival and counts
 * fresh duplicates: a message that arrives again without the broker's `redelivered` flag was
 * published twice; a redelivery of a message the ledger had not acknowledged is the ledger's own
 * doing and is not counted.
 */
export class EventLedger {
  private readonly arrivals = new Map<string, number>();
  private readonly duplicates = new Map<string, number>();
  private connection: ChannelModel | undefined;
  private closed = false;

  private constructor(private readonly url: string) {}

  static async open(url: string): Promise<EventLedger> {
    const ledger = new EventLedger(url);
    await ledger.connect();
    return ledger;
  }

  /** When `eventId` first arrived (epoch ms), if it did. */
  arrivedAt(eventId: string): number | undefined {
    return this.arrivals.get(eventId);
  }

  /** Extra publications of the given events that reached the ledger. */
  duplicatesOf(eventIds: Iterable<string>): number {
    let total = 0;
    for (const id of eventIds) total += this.duplicates.get(id) ?? 0;
    return total;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connection?.close().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const connection = await amqp.connect(this.url, { timeout: 2000 });
    connection.on('error', () => undefined);
    connection.once('close', () => {
      this.connection = undefined;
      if (!this.closed) void this.reconnect();
    });
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    await channel.assertExchange(ORDER_EVENTS_EXCHANGE, 'topic', { durable: true });
    await channel.assertQueue(LEDGER_QUEUE, { durable: true });
    await channel.bindQueue(LEDGER_QUEUE, ORDER_EVENTS_EXCHANGE, 'order.#');
    await channel.prefetch(500);
    await channel.consume(LEDGER_QUEUE, (message) => {
      if (!message) return;
      this.record(message);
      channel.ack(message);
    });
    this.connection = connection;
  }

  private async reconnect(): Promise<void> {
    while (!this.closed) {
      await sleep(RECONNECT_MS);
      try {
        await this.connect();
        return;
      } catch {
        // The broker is still away.
      }
    }
  }

  private record(message: ConsumeMessage): void {
    const id: unknown = message.properties.messageId;
    if (typeof id !== 'string') return;
    if (!this.arrivals.has(id)) {
      this.arrivals.set(id, Date.now());
      return;
    }
    if (!message.fields.redelivered) this.duplicates.set(id, (this.duplicates.get(id) ?? 0) + 1);
  }
}
