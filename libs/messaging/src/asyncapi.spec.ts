import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ORDER_STATUSES, OrderEventType, OrderKind, createOrder, orderEventPayload } from '@eos/domain';
import type { OutboxRow } from '@eos/persistence';
import { parse } from 'yaml';
import { parseOrderEventEnvelope } from './order-event.envelope';
import { envelopeOf } from './outbox/outbox-row.envelope';

interface Schema {
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: string[];
  $ref?: string;
}

interface AsyncApiDocument {
  asyncapi: string;
  channels: Record<
    string,
    {
      bindings: { amqp: { exchange: { name: string; type: string } } };
      subscribe: { message: { $ref: string } };
    }
  >;
  components: {
    messages: Record<string, { name: string; payload: Schema; bindings: { amqp: { messageType: string } } }>;
    schemas: Record<string, Schema>;
  };
}

const document = parse(
  readFileSync(resolve(__dirname, '../../../docs/asyncapi.yaml'), 'utf8'),
) as AsyncApiDocument;

function resolveRef<T>(ref: string): T {
  const path = ref.replace(/^#\//, '').split('/');
  let node: unknown = document;
  for (const part of path) node = (node as Record<string, unknown>)[part];
  if (node === undefined) throw new Error(`dangling $ref ${ref}`);
  return node as T;
}

const order = createOrder({
  id: '1234567890123',
  userId: '42',
  cart: {
    merchantId: '7',
    lines: [
      {
        itemId: '701',
        name: 'Soup',
        unitPriceCents: 800,
        quantity: 2,
        lineTotalCents: 1600,
        packagingFeeCents: 100,
      },
    ],
    subtotalCents: 1600,
    packagingFeeCents: 100,
    deliveryFeeCents: 300,
    discountCents: 0,
    totalCents: 2000,
    currency: 'CNY',
  },
  address: { line1: '1 Road', city: 'Shanghai', phone: '13800000000' },
  note: null,
  now: new Date('2026-01-02T03:04:05.000Z'),
  paymentWindowMs: 15 * 60_000,
});
const payload = orderEventPayload(order, null);
const row: OutboxRow = {
  shard: 42,
  id: '1',
  eventId: '6f1c2a4e-8d0b-4c57-9a3e-2b7f0d9c1e55',
  orderId: order.id,
  eventType: OrderEventType.Created,
  orderVersion: order.version,
  payload,
  createdAt: order.createdAt,
};
const envelope = envelopeOf(row);

describe('docs/asyncapi.yaml, the event catalogue', () => {
  it('is an AsyncAPI 2.6 document', () => {
    expect(document.asyncapi).toBe('2.6.0');
  });

  it('has one channel per OrderEventType, on the order-events topic exchange', () => {
    expect(Object.keys(document.channels).sort()).toEqual(Object.values(OrderEventType).sort());
    for (const [routingKey, channel] of Object.entries(document.channels)) {
      expect(channel.bindings.amqp.exchange).toMatchObject({ name: 'eos.order-events', type: 'topic' });
      const message = resolveRef<AsyncApiDocument['components']['messages'][string]>(
        channel.subscribe.message.$ref,
      );
      expect([message.name, message.bindings.amqp.messageType]).toEqual([routingKey, routingKey]);
      expect(message.payload.$ref).toBe('#/components/schemas/OrderEventEnvelope');
    }
  });

  it('describes exactly the envelope the relay publishes', () => {
    const schema = document.components.schemas.OrderEventEnvelope;
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(Object.keys(envelope).sort());
    expect([...(schema.required ?? [])].sort()).toEqual(Object.keys(envelope).sort());
    expect(schema.properties?.eventType.enum?.sort()).toEqual(Object.values(OrderEventType).sort());
  });

  it('describes exactly the payload the domain writes', () => {
    const schema = document.components.schemas.OrderEventPayload;
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(Object.keys(payload).sort());
    expect([...(schema.required ?? [])].sort()).toEqual(Object.keys(payload).sort());
    expect(document.components.schemas.OrderStatus.enum).toEqual([...ORDER_STATUSES]);
    expect(schema.properties?.kind.enum?.sort()).toEqual(Object.values(OrderKind).sort());
  });

  it('the envelope the relay builds is one a consumer accepts', () => {
    expect(parseOrderEventEnvelope(Buffer.from(JSON.stringify(envelope)))).toEqual(envelope);
  });
});
