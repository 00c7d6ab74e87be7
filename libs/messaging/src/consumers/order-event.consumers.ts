import { randomUUID } from 'node:crypto';
import type { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import { Logger } from '@nestjs/common';
import type { Channel, ConsumeMessage } from 'amqplib';
import { DomainErrorCode, isDomainError } from '@eos/domain';
import { consumerLag, consumerMessages } from '../messaging.metrics';
import {
  COMMITTED_AT_HEADER,
  parseOrderEventEnvelope,
  type OrderEventEnvelope,
} from '../order-event.envelope';
import type { OrderEventPublisher } from '../order-event.publisher';
import {
  ORDER_EVENTS_DLX,
  consumerQueues,
  mainQueueOptions,
  type ConsumerQueues,
  type OrderEventConsumer,
} from '../order-events.topology';
import { CONSUMER_CHANNEL, PROBE_CHANNEL } from '../rabbitmq.connection';
import { failedAttempts, failureVerdict } from './consumer-attempts';
import { consumeTraced } from './order-event-consume.tracing';

/** What a consumer does with one event. It must be idempotent: events arrive at least once. */
export type OrderEventHandler = (event: OrderEventEnvelope) => Promise<void>;

export interface OrderEventConsumersOptions {
  /** False: subscribe() does nothing in this process (ORDER_EVENT_CONSUMERS_ENABLED). */
  readonly enabled: boolean;
  readonly maxRetries: number;
}

const ERROR_HEADER_LENGTH = 500;

/**
 * A failure that says a database the handler needs is down, not that the message is bad: retrying
 * it must not use up the message's tries, or a shard database outage longer than the retries would
 * park every event that touches it.
 */
function isOutage(error: unknown): boolean {
  return isDomainError(error) && error.code === DomainErrorCode.ShardUnavailable;
}
const WATCHDOG_MS = 10_000;

/**
 * Runs order-event consumers on golevelup subscribers, with the failure path the library lacks:
 * a message whose handler throws (or that cannot be parsed) is nacked without requeue into the
 * dead-letter exchange, waits in the consumer's retry queue, and comes back to the same consumer;
 * after CONSUMER_MAX_RETRIES retries it is published to the consumer's parking queue and acked.
 * A failing message thus never blocks the ones behind it, and never loops forever.
 */
export class OrderEventConsumers {
  private readonly logger = new Logger('order-event-consumers');
  private readonly subscribed = new Map<OrderEventConsumer, ConsumerQueues>();
  private watchdog: NodeJS.Timeout | undefined;

  constructor(
    private readonly amqp: AmqpConnection,
    private readonly publisher: OrderEventPublisher,
    private readonly options: OrderEventConsumersOptions,
  ) {}

  /**
   * Starts consuming `consumer`'s queue (now, or as soon as the broker is reachable: this never
   * waits for it) and again after every reconnect.
   */
  subscribe(consumer: OrderEventConsumer, handler: OrderEventHandler): void {
    if (!this.options.enabled) {
      this.logger.log(`${consumer} not started here (ORDER_EVENT_CONSUMERS_ENABLED=false)`);
      return;
    }
    if (this.subscribed.has(consumer)) throw new Error(`${consumer} is already subscribed`);
    const queues = consumerQueues(consumer);
    this.subscribed.set(consumer, queues);
    this.amqp
      .createSubscriber<Buffer>(
        (_body, message) => this.deliver(consumer, queues, handler, message),
        {
          queue: queues.main,
          // Asserted with the topology's exact arguments, on the consumers' channel.
          queueOptions: { ...mainQueueOptions(consumer), channel: CONSUMER_CHANNEL },
          errorHandler: (channel, message, error) => this.fail(consumer, queues, channel, message, error),
          // The raw body: the envelope is parsed and checked in deliver(), where failures count.
          deserializer: (body: Buffer) => body,
        },
        consumer,
      )
      .then(
        () => this.logger.log(`${consumer} consuming ${queues.main}`),
        (error: unknown) =>
          this.logger.error(
            `${consumer} could not subscribe: ${error instanceof Error ? error.message : String(error)}`,
          ),
      );
    this.watchdog ??= setInterval(() => void this.reviveLostConsumers(), WATCHDOG_MS);
    this.watchdog.unref();
  }

  stop(): void {
    clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  /**
   * The client library has lost consumers over reconnects (and ignores a consumer the broker
   * cancels). A queue of ours that the broker says nobody consumes while we are connected gets
   * a fresh connection, which re-runs every subscription.
   */
  private async reviveLostConsumers(): Promise<void> {
    if (!this.amqp.connected) return;
    try {
      for (const queue of this.consumedQueues()) {
        const { consumerCount } = await this.amqp.managedChannels[PROBE_CHANNEL].checkQueue(queue);
        if (consumerCount === 0) {
          this.logger.warn(`${queue} has no consumer although connected; reconnecting to resubscribe`);
          this.amqp.managedConnection.reconnect();
          return;
        }
      }
    } catch {
      // Not connected right now: the next reconnect re-runs the subscriptions anyway.
    }
  }

  /** Queues this process consumes; readiness checks each has a consumer. */
  consumedQueues(): string[] {
    return [...this.subscribed.values()].map((queues) => queues.main);
  }

  private async deliver(
    consumer: OrderEventConsumer,
    queues: ConsumerQueues,
    handler: OrderEventHandler,
    message: ConsumeMessage | undefined,
  ): Promise<void> {
    if (!message) return;
    const event = parseOrderEventEnvelope(message.content);
    if (failedAttempts(message.properties, queues.main) === 0) {
      const committedAt = Date.parse(String(message.properties.headers?.[COMMITTED_AT_HEADER]));
      if (!Number.isNaN(committedAt)) {
        consumerLag.observe({ consumer }, Math.max(0, Date.now() - committedAt) / 1000);
      }
    }
    await consumeTraced(consumer, message, event, () => handler(event));
    consumerMessages.inc({ consumer, outcome: 'handled' });
  }

  /** Never throws: it runs in the library's catch block, where a throw would be unhandled. */
  private async fail(
    consumer: OrderEventConsumer,
    queues: ConsumerQueues,
    channel: Channel,
    message: ConsumeMessage,
    error: unknown,
  ): Promise<void> {
    const attempt = failedAttempts(message.properties, queues.main) + 1;
    const reason = error instanceof Error ? error.message : String(error);
    if (isOutage(error) && (await this.postpone(queues, message))) {
      channel.ack(message);
      consumerMessages.inc({ consumer, outcome: 'postponed' });
      return;
    }
    try {
      if (failureVerdict(attempt, this.options.maxRetries) === 'retry') {
        channel.nack(message, false, false);
        consumerMessages.inc({ consumer, outcome: 'retried' });
        return;
      }
      await this.park(consumer, queues, message, attempt, reason);
      channel.ack(message);
      consumerMessages.inc({ consumer, outcome: 'parked' });
      this.logger.error(
        `${consumer} parked message ${String(message.properties.messageId)} in ${queues.parking} after ${attempt} tries: ${reason}`,
      );
    } catch (parkError) {
      // Not parked (broker trouble): back to the retry path; the next failure parks it.
      try {
        channel.nack(message, false, false);
      } catch {
        // The channel is gone: the broker requeues the unacknowledged message by itself.
      }
      this.logger.warn(
        `${consumer} could not park message ${String(message.properties.messageId)}: ${
          parkError instanceof Error ? parkError.message : String(parkError)
        }`,
      );
    }
  }

  /**
   * Puts a copy in the retry queue directly (not by a nack, which the broker counts as a failed
   * try in `x-death`): it comes back after the retry delay with its tries untouched, for as long
   * as the outage lasts. False when the broker would not take it; the caller then nacks as usual.
   */
  private async postpone(queues: ConsumerQueues, message: ConsumeMessage): Promise<boolean> {
    const { properties } = message;
    try {
      await this.publisher.publish(ORDER_EVENTS_DLX, queues.retry, message.content, {
        messageId: typeof properties.messageId === 'string' ? properties.messageId : randomUUID(),
        type: properties.type as string | undefined,
        contentType: properties.contentType as string | undefined,
        timestamp: properties.timestamp as number | undefined,
        headers: properties.headers ?? {},
      });
      return true;
    } catch {
      return false;
    }
  }

  private async park(
    consumer: OrderEventConsumer,
    queues: ConsumerQueues,
    message: ConsumeMessage,
    attempts: number,
    reason: string,
  ): Promise<void> {
    const { properties } = message;
    await this.publisher.publish(ORDER_EVENTS_DLX, queues.parking, message.content, {
      messageId: typeof properties.messageId === 'string' ? properties.messageId : randomUUID(),
      type: properties.type as string | undefined,
      contentType: properties.contentType as string | undefined,
      timestamp: properties.timestamp as number | undefined,
      headers: {
        ...(properties.headers ?? {}),
        'x-eos-consumer': consumer,
        'x-eos-attempts': attempts,
        'x-eos-error': reason.slice(0, ERROR_HEADER_LENGTH),
        'x-eos-parked-at': new Date().toISOString(),
      },
    });
  }
}
