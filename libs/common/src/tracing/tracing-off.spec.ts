import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import Fastify from 'fastify';
import pino from 'pino';
import { observeRequests } from '../http/request-observability.hooks';
import { currentTraceparent, isTracing, traceHeaders, withSpan } from './trace-spans';
import { startTracing, stopTracing, tracingConfigured } from './tracing';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('tracing while it is off (the default)', () => {
  // A tracer provider registered globally by someone else must not make eos trace: eos starts
  // spans only through its own tracer, which exists only after startTracing.
  const bystander = new InMemorySpanExporter();

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(
      new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: bystander })] }),
    );
  });

  afterAll(() => {
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('is off unless EOS_TRACING or OTEL_EXPORTER_OTLP_ENDPOINT says otherwise', () => {
    expect(tracingConfigured({ EOS_TRACING: false, OTEL_EXPORTER_OTLP_ENDPOINT: undefined })).toBe(false);
    expect(tracingConfigured({ EOS_TRACING: true, OTEL_EXPORTER_OTLP_ENDPOINT: undefined })).toBe(true);
    expect(tracingConfigured({ EOS_TRACING: false, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318' })).toBe(
      true,
    );
    expect(isTracing()).toBe(false);
  });

  it('creates no span and no trace context around work', async () => {
    const seen = await withSpan('checkout INSERT', {}, async () => ({
      active: trace.getActiveSpan(),
      traceparent: currentTraceparent(),
      headers: traceHeaders(),
    }));
    expect(seen).toEqual({ active: undefined, traceparent: null, headers: undefined });
    await expect(
      withSpan('failing', {}, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(bystander.getFinishedSpans()).toEqual([]);
  });

  it('serves a request that carries a traceparent without a span and without adding a trace header', async () => {
    const server = Fastify();
    observeRequests(server, pino({ level: 'silent' }));
    let inside: unknown = 'not reached';
    server.get('/v1/orders/:orderId', async () => {
      inside = trace.getActiveSpan();
      return { ok: true };
    });
    const answer = await server.inject({
      method: 'GET',
      url: '/v1/orders/42',
      headers: { traceparent: TRACEPARENT, 'x-request-id': 'caller-request-0001' },
    });
    await server.close();
    expect(answer.statusCode).toBe(200);
    expect(inside).toBeUndefined();
    expect(answer.headers.traceparent).toBeUndefined();
    expect(Object.keys(answer.headers).filter((name) => /trace/i.test(name))).toEqual([]);
    expect(bystander.getFinishedSpans()).toEqual([]);
  });
});

describe('tracing once started', () => {
  const exporter = new InMemorySpanExporter();

  beforeAll(() => startTracing({ serviceName: 'unit', exporter }));
  afterAll(() => stopTracing());

  it('makes the same calls create spans and carry their context (so the test above would see them)', async () => {
    const traceparent = await withSpan('checkout INSERT', {}, async () => currentTraceparent());
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await new Promise((resolve) => setImmediate(resolve));
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['checkout INSERT']);
  });
});
