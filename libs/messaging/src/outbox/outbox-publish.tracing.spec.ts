import 'reflect-metadata';
import { SpanKind, startTracing, stopTracing } from '@eos/common';
import type { OutboxRow } from '@eos/persistence';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import type { ConsumeMessage } from 'amqplib';
import { consumeTraced } from '../consumers/order-event-consume.tracing';
import type { OrderEventEnvelope } from '../order-event.envelope';
import { publishTraced, type TraceHeaders } from './outbox-publish.tracing';

const WRITER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const row: OutboxRow = {
  shard: 7,
  id: '11',
  eventId: '7d444840-9dc0-11d1-b245-5ffdce74fad2',
  orderId: '251234567890123456',
  eventType: 'order.created',
  orderVersion: 1,
  payload: {},
  createdAt: new Date('2026-01-01T00:00:00Z'),
  // Written by a process that was tracing: the relay must still add nothing while it is not.
  traceContext: `00-${WRITER_TRACE}-b7ad6b7169203331-01`,
};

function message(headers: Record<string, unknown>): ConsumeMessage {
  return {
    content: Buffer.from('{}'),
    fields: { exchange: 'eos.order-events', routingKey: 'order.created' },
    properties: { headers },
  } as unknown as ConsumeMessage;
}

const event = { eventId: row.eventId, orderId: row.orderId } as OrderEventEnvelope;

describe('outbox publish and consume tracing while tracing is off', () => {
  it('publishes with no trace header and handles without a span', async () => {
    const sent: TraceHeaders[] = [];
    await publishTraced(row, async (headers) => {
      sent.push(headers);
    });
    expect(sent).toEqual([undefined]);
    let handled = 0;
    await consumeTraced('merchant-projector', message({ traceparent: row.traceContext }), event, async () => {
      handled += 1;
    });
    expect(handled).toBe(1);
  });
});

describe('outbox publish and consume tracing while tracing is on', () => {
  const exporter = new InMemorySpanExporter();
  beforeAll(() => startTracing({ serviceName: 'unit', exporter }));
  afterAll(() => stopTracing());

  it("continues the writer's trace in the publish span, and the consumer continues the publish span", async () => {
    let sent: TraceHeaders;
    await publishTraced(row, async (headers) => {
      sent = headers;
    });
    expect(sent?.traceparent).toMatch(new RegExp(`^00-${WRITER_TRACE}-[0-9a-f]{16}-01$`));
    await consumeTraced('merchant-projector', message({ ...sent }), event, async () => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    const [publish, consume] = exporter.getFinishedSpans();
    expect([publish.name, publish.kind, publish.spanContext().traceId]).toEqual([
      'publish order.created',
      SpanKind.PRODUCER,
      WRITER_TRACE,
    ]);
    expect(publish.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect([consume.name, consume.kind, consume.parentSpanContext?.spanId]).toEqual([
      'process merchant-projector',
      SpanKind.CONSUMER,
      publish.spanContext().spanId,
    ]);
  });
});
