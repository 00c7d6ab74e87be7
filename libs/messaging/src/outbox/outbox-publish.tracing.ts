import { SpanKind, contextFromTraceparent, isTracing, traceHeaders, withSpan } from '@eos/common';
import type { OutboxRow } from '@eos/persistence';
import { ORDER_EVENTS_EXCHANGE } from '../order-events.topology';

/** Extra AMQP headers of one message (the trace context), or none. */
export type TraceHeaders = Record<string, string> | undefined;

/**
 * Publishes one outbox row inside a producer span that continues the trace its writer stored with
 * it (the checkout's SQL span, say), and hands `publish` the headers carrying that span to the
 * consumer (`traceparent`). While tracing is off it is `publish(undefined)`: no span, no header.
 */
export function publishTraced(
  row: OutboxRow,
  publish: (headers: TraceHeaders) => Promise<void>,
): Promise<void> {
  if (!isTracing()) return publish(undefined);
  return withSpan(
    `publish ${row.eventType}`,
    {
      kind: SpanKind.PRODUCER,
      parent: contextFromTraceparent(row.traceContext),
      attributes: {
        'messaging.system': 'rabbitmq',
        'messaging.operation.type': 'send',
        'messaging.destination.name': ORDER_EVENTS_EXCHANGE,
        'messaging.rabbitmq.destination.routing_key': row.eventType,
        'messaging.message.id': row.eventId,
        'eos.order_id': row.orderId,
      },
    },
    () => publish(traceHeaders()),
  );
}
