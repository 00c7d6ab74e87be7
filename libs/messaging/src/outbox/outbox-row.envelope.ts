import type { OrderEventPayload, OrderEventType } from '@eos/domain';
import type { OutboxRow } from '@eos/persistence';
import type { OrderEventEnvelope } from '../order-event.envelope';

/**
 * The envelope of an outbox row. The payload was written by the domain (orderEventPayload) in the
 * transaction of the change and goes out as stored; consumers check it on arrival.
 */
export function envelopeOf(row: OutboxRow): OrderEventEnvelope {
  return {
    eventId: row.eventId,
    orderId: row.orderId,
    eventType: row.eventType as OrderEventType,
    orderVersion: row.orderVersion,
    occurredAt: row.createdAt.toISOString(),
    payload: row.payload as OrderEventPayload,
  };
}
