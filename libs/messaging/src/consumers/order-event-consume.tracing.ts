import { SpanKind, contextFromHeaders, isTracing, withSpan } from '@eos/common';
import type { ConsumeMessage } from 'amqplib';
import type { OrderEventEnvelope } from '../order-event.envelope';

/**
 * Runs a consumer's handler inside a consumer span, child of the publish span whose `traceparent`
 * the message carries (so a checkout's trace ends in the consumers of its event). While tracing is
 * off it is `handle()`: the headers are not even read.
 */
export function consumeTraced(
  consumer: string,
  message: ConsumeMessage,
  event: OrderEventEnvelope,
  handle: () => Promise<void>,
): Promise<void> {
  if (!isTracing()) return handle();
  return withSpan(
    `process ${consumer}`,
    {
      kind: SpanKind.CONSUMER,
      parent: contextFromHeaders(message.properties.headers),
      attributes: {
        'messaging.system': 'rabbitmq',
        'messaging.operation.type': 'process',
        'messaging.consumer.group.name': consumer,
        'messaging.destination.name': message.fields.exchange,
        'messaging.rabbitmq.destination.routing_key': message.fields.routingKey,
        'messaging.message.id': event.eventId,
        'eos.order_id': event.orderId,
      },
    },
    handle,
  );
}
