import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { EOS_CONFIG, EosConfig, mintToken, startTracing, stopTracing } from '@eos/common';
import { ShardDataSources } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import {
  RunningApp,
  checkoutBody,
  eventually,
  http,
  newIdempotencyKey,
  newUserId,
  startHttpApp,
} from '@eos/testing';
import { ForwardOrderModule } from '../src/forward-order.module';

/**
 * Other suites run forward-order instances beside this one on the same RabbitMQ and databases:
 * their relays may publish a row of ours, and the projector's queue hands each event to one of the
 * instances consuming it. So the test checks out several orders and follows the first whose whole
 * path (HTTP, SQL, publish, consume) ran in this process, where the in-memory exporter sees it.
 */
const CHECKOUTS = 20;

interface TracedCheckout {
  readonly orderId: string;
  readonly traceId: string;
  readonly callerSpanId: string;
}

describe('tracing (e2e: forward-order with an in-memory exporter, real services)', () => {
  const exporter = new InMemorySpanExporter();
  let forward: RunningApp;
  let config: EosConfig;

  beforeAll(async () => {
    // Before the app starts: createHttpApp finds tracing running and leaves it as it is.
    startTracing({ serviceName: 'forward-order', exporter });
    forward = await startHttpApp(ForwardOrderModule, 'forward-order');
    config = forward.app.get<EosConfig>(EOS_CONFIG);
  });

  afterAll(async () => {
    await forward?.close();
    await stopTracing();
  });

  /** A checkout as a traced caller makes it: its own trace id, sent as `traceparent`. */
  async function tracedCheckout(): Promise<TracedCheckout> {
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const answer = await http<{ id: string }>('POST', `${forward.url}/v1/orders`, {
      token: mintToken(config.JWT_SECRET, 'customer', newUserId()),
      body: checkoutBody(),
      headers: { 'idempotency-key': newIdempotencyKey(), traceparent: `00-${traceId}-${callerSpanId}-01` },
    });
    expect(answer.status).toBe(201);
    return { orderId: answer.body.id, traceId, callerSpanId };
  }

  const spansOf = (traceId: string): ReadableSpan[] =>
    exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);

  const one = (spans: ReadableSpan[], kind: SpanKind, name: string): ReadableSpan | undefined =>
    spans.find((span) => span.kind === kind && span.name === name);

  const consumed = (checkout: TracedCheckout): boolean =>
    one(spansOf(checkout.traceId), SpanKind.CONSUMER, 'process merchant-projector') !== undefined;

  it("follows one checkout's trace id from the HTTP span through its SQL and the outbox publish to the merchant projector", async () => {
    const checkouts = await Promise.all(Array.from({ length: CHECKOUTS }, () => tracedCheckout()));
    expect(await eventually(async () => checkouts.some(consumed), 60_000, 100)).toBe(true);
    const followed = checkouts.find(consumed) as TracedCheckout;
    const spans = spansOf(followed.traceId);

    const server = one(spans, SpanKind.SERVER, 'POST /v1/orders');
    const sql = one(spans, SpanKind.CLIENT, 'checkout INSERT');
    const publish = one(spans, SpanKind.PRODUCER, 'publish order.created');
    const consume = one(spans, SpanKind.CONSUMER, 'process merchant-projector');
    expect([server, sql, publish, consume].map((span) => span?.name)).toEqual([
      'POST /v1/orders',
      'checkout INSERT',
      'publish order.created',
      'process merchant-projector',
    ]);
    // One chain: caller -> HTTP server -> checkout SQL -> publish -> projector.
    expect(server?.parentSpanContext?.spanId).toBe(followed.callerSpanId);
    expect(sql?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(publish?.parentSpanContext?.spanId).toBe(sql?.spanContext().spanId);
    expect(consume?.parentSpanContext?.spanId).toBe(publish?.spanContext().spanId);

    expect(server?.attributes).toMatchObject({
      'http.route': '/v1/orders',
      'http.response.status_code': 201,
    });
    expect(sql?.attributes).toMatchObject({
      'db.system.name': 'postgresql',
      'db.operation.name': 'checkout',
    });
    expect(publish?.attributes).toMatchObject({ 'eos.order_id': followed.orderId });
    expect(consume?.attributes).toMatchObject({
      'eos.order_id': followed.orderId,
      'messaging.consumer.group.name': 'merchant-projector',
    });

    // The context travelled with the outbox row: the SQL span's, written by the checkout statement.
    const route = forward.app.get(ShardRouter).routeOrder(followed.orderId);
    const rows: { trace_context: string | null }[] = await forward.app
      .get(ShardDataSources)
      .get(route.database)
      .query(`SELECT trace_context FROM ${route.schema}.outbox WHERE order_id = $1`, [followed.orderId]);
    expect(rows).toEqual([{ trace_context: `00-${followed.traceId}-${sql?.spanContext().spanId}-01` }]);
  });

  it('starts a new trace for a request without traceparent and names the span by route template', async () => {
    const before = exporter.getFinishedSpans().length;
    const answer = await http('GET', `${forward.url}/v1/orders/123456789012345678`, {
      token: mintToken(config.JWT_SECRET, 'customer', newUserId()),
    });
    expect([400, 404]).toContain(answer.status);
    expect(answer.headers.get('traceparent')).toBeNull();
    // The span ends once the response has been sent, which the client may see first.
    const servers = (): ReadableSpan[] =>
      exporter
        .getFinishedSpans()
        .slice(before)
        .filter((span) => span.kind === SpanKind.SERVER);
    expect(await eventually(async () => servers().length > 0, 10_000, 10)).toBe(true);
    expect(servers().map((span) => [span.name, span.parentSpanContext])).toEqual([
      ['GET /v1/orders/:orderId', undefined],
    ]);
  });
});
