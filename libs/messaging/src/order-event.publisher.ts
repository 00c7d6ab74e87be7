import type { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { COMMITTED_AT_HEADER, type OrderEventEnvelope } from './order-event.envelope';
import { ORDER_EVENTS_EXCHANGE } from './order-events.topology';

export type PublishFailureReason = 'unavailable' | 'timeout' | 'unroutable' | 'nacked';

/** A publish the broker did not confirm as routed; the caller keeps the event for a later try. */
export class PublishFailedError extends Error {
  constructor(
    readonly reason: PublishFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'PublishFailedError';
  }
}

type PublishOptions = Options.Publish & { messageId: string };

/**
 * Publishes to RabbitMQ on the connection's confirm channel and resolves only once the broker has
 * confirmed the message as routed to at least one queue. Every publish is:
 * - persistent, with `mandatory`: an unroutable message comes back (basic.return, which the broker
 *   sends before its confirm) and is reported as a failure instead of a silent confirm;
 * - bounded by a confirm timeout. The library's channel wrapper queues a publish while the broker
 *   is away and waits forever for a confirm lost with a connection; its `timeout` option removes
 *   the message from its send queue, so a timed-out publish is never sent later behind our back.
 *   A message already sent whose confirm timed out may still arrive: consumers are idempotent.
 */
export class OrderEventPublisher {
  private readonly returned = new Set<string>();

  private constructor(
    private readonly amqp: AmqpConnection,
    private readonly confirmTimeoutMs: number,
  ) {}

  static async create(amqp: AmqpConnection, confirmTimeoutMs: number): Promise<OrderEventPublisher> {
    const publisher = new OrderEventPublisher(amqp, confirmTimeoutMs);
    // Re-attached to every new channel after a reconnect.
    await amqp.managedChannel
      .addSetup(async (channel: ConfirmChannel) => {
        channel.on('return', (message: ConsumeMessage) => {
          const id: unknown = message.properties.messageId;
          if (typeof id === 'string') publisher.returned.add(id);
        });
      })
      .catch(() => undefined);
    return publisher;
  }

  isConnected(): boolean {
    return this.amqp.connected;
  }

  /**
   * One order event, routed by its type, with the envelope as its JSON body. `extraHeaders` carry
   * the publish span's trace context while tracing is on.
   */
  async publishEvent(
    envelope: OrderEventEnvelope,
    committedAt: Date,
    extraHeaders?: Record<string, string>,
  ): Promise<void> {
    await this.publish(ORDER_EVENTS_EXCHANGE, envelope.eventType, Buffer.from(JSON.stringify(envelope)), {
      messageId: envelope.eventId,
      type: envelope.eventType,
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      timestamp: Math.floor(committedAt.getTime() / 1000),
      headers: { ...extraHeaders, [COMMITTED_AT_HEADER]: committedAt.toISOString() },
    });
  }

  /** Any message, with the same guarantees (used to park a message that failed all its tries). */
  async publish(exchange: string, routingKey: string, body: Buffer, options: PublishOptions): Promise<void> {
    if (!this.amqp.connected) {
      // Fail at once rather than queue in memory for the whole timeout: the rows stay in the outbox.
      throw new PublishFailedError('unavailable', 'RabbitMQ is not connected');
    }
    try {
      await this.amqp.managedChannel.publish(exchange, routingKey, body, {
        ...options,
        persistent: true,
        mandatory: true,
        timeout: this.confirmTimeoutMs,
      });
    } catch (error) {
      this.returned.delete(options.messageId);
      const message = error instanceof Error ? error.message : String(error);
      if (message === 'timeout') {
        throw new PublishFailedError('timeout', `no confirm within ${this.confirmTimeoutMs} ms`);
      }
      if (!this.amqp.connected || /closed/i.test(message)) {
        throw new PublishFailedError('unavailable', `the connection to RabbitMQ went away: ${message}`);
      }
      throw new PublishFailedError('nacked', `the broker refused the message: ${message}`);
    }
    if (this.returned.delete(options.messageId)) {
      throw new PublishFailedError(
        'unroutable',
        `no queue is bound for ${exchange} / ${routingKey}; the message was returned`,
      );
    }
  }
}
