import { type Tracer, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  TracerProvider,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { EosConfig } from '../config/eos.config';

export interface TracingOptions {
  /** `service.name` of every span this process exports (the app's name). */
  readonly serviceName: string;
  /**
   * Where spans go. Default: OTLP over HTTP, to OTEL_EXPORTER_OTLP_ENDPOINT (the exporter reads the
   * standard OTEL_* variables itself), in batches. A given exporter (tests) gets every span at once.
   */
  readonly exporter?: SpanExporter;
}

interface RunningTracing {
  readonly tracer: Tracer;
  readonly provider: TracerProvider;
}

let running: RunningTracing | undefined;

/** Tracing is on when EOS_TRACING=true or OTEL_EXPORTER_OTLP_ENDPOINT names a collector. */
export function tracingConfigured(
  config: Pick<EosConfig, 'EOS_TRACING' | 'OTEL_EXPORTER_OTLP_ENDPOINT'>,
): boolean {
  return config.EOS_TRACING || config.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined;
}

/**
 * Starts tracing in this process: a tracer provider, AsyncLocalStorage context (so the active span
 * follows awaits) and the W3C `traceparent` propagator, all registered as the OpenTelemetry
 * globals. Once per process: a second app in the same process (tests) shares the first's.
 *
 * Nothing here instruments anything by itself (no require hooks): the few places that matter
 * (HTTP server, checkout SQL, outbox publish, order-event consumers) start their spans by hand
 * through activeTracer(), which is undefined while tracing is off, so they cost one check then.
 */
export function startTracing(options: TracingOptions): void {
  if (running) return;
  const processor = options.exporter
    ? new SimpleSpanProcessor({ exporter: options.exporter })
    : new BatchSpanProcessor({ exporter: new OTLPTraceExporter() });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors: [processor],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  running = { provider, tracer: provider.getTracer('eos') };
}

/** A collector that does not answer must not hold a shutdown up for the exporter's 30 s. */
const FLUSH_TIMEOUT_MS = 2000;

/** Exports what is still buffered (at shutdown, or before a test reads its exporter). */
export async function flushTracing(): Promise<void> {
  try {
    await running?.provider.forceFlush({ timeoutMillis: FLUSH_TIMEOUT_MS });
  } catch {
    // The collector is away: what was buffered is lost, and the shutdown goes on.
  }
}

/** Flushes, then unregisters everything startTracing registered; tracing is off again. */
export async function stopTracing(): Promise<void> {
  const stopping = running;
  if (!stopping) return;
  running = undefined;
  await stopping.provider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
}

/** The eos tracer while tracing is on; undefined while it is off (then create no span at all). */
export function activeTracer(): Tracer | undefined {
  return running?.tracer;
}
