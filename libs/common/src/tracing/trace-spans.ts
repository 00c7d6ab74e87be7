import {
  type Attributes,
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';
import { activeTracer } from './tracing';

export { SpanKind };

/** The W3C header that carries a span's context between processes (HTTP, AMQP, the outbox row). */
export const TRACEPARENT = 'traceparent';

export interface SpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  /** The parent: a context from a remote caller or a stored traceparent. Default: the active one. */
  readonly parent?: Context;
}

/** True while this process traces (see startTracing). Callers skip all span work when it is not. */
export function isTracing(): boolean {
  return activeTracer() !== undefined;
}

/**
 * Runs `work` inside a new span, active for everything `work` awaits; a thrown error is recorded
 * on the span and rethrown. While tracing is off it is exactly `work()`.
 */
export async function withSpan<T>(name: string, options: SpanOptions, work: () => Promise<T>): Promise<T> {
  const tracer = activeTracer();
  if (!tracer) return work();
  return tracer.startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
    options.parent ?? context.active(),
    async (span) => {
      try {
        return await work();
      } catch (error) {
        markFailed(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

export function markFailed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

/** The active span as a `traceparent` value, to store beside data; null while tracing is off or outside a span. */
export function currentTraceparent(): string | null {
  if (!isTracing()) return null;
  return traceHeaders()?.[TRACEPARENT] ?? null;
}

/** Headers that carry the active span to another process; undefined while tracing is off. */
export function traceHeaders(): Record<string, string> | undefined {
  if (!isTracing()) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** AMQP header values arrive as strings or, from some clients, as buffers. */
const headerGetter: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    if (typeof value === 'string') return value;
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
    if (Buffer.isBuffer(value)) return value.toString('utf8');
    return undefined;
  },
};

/** The remote parent carried by headers (HTTP, AMQP); the root context when they carry none. */
export function contextFromHeaders(headers: Record<string, unknown> | undefined): Context {
  if (!headers) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, headers, headerGetter);
}

/** The parent stored as a traceparent (an outbox row's); the root context when there is none. */
export function contextFromTraceparent(traceparent: string | null | undefined): Context {
  return traceparent ? contextFromHeaders({ [TRACEPARENT]: traceparent }) : ROOT_CONTEXT;
}

/** Trace and span id of the active span, for log lines; undefined while tracing is off. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  if (!isTracing()) return undefined;
  const span = trace.getSpan(context.active());
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}
