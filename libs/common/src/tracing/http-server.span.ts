import { type Context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import { contextFromHeaders } from './trace-spans';
import { activeTracer } from './tracing';

/** The span of one HTTP request being served, and the context its handling runs in. */
export interface ServerSpan {
  readonly context: Context;
  end(statusCode: number): void;
}

/**
 * Starts the server span of a request, named by its route template (never the raw URL), as a
 * child of the caller's span when the request carries a `traceparent`. Undefined while tracing is
 * off: nothing is read from the headers and nothing is added to the response.
 */
export function startServerSpan(
  method: string,
  route: string,
  path: string,
  headers: Record<string, unknown>,
): ServerSpan | undefined {
  const tracer = activeTracer();
  if (!tracer) return undefined;
  const parent = contextFromHeaders(headers);
  const span = tracer.startSpan(
    `${method} ${route}`,
    {
      kind: SpanKind.SERVER,
      attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_HTTP_ROUTE]: route, [ATTR_URL_PATH]: path },
    },
    parent,
  );
  return {
    context: trace.setSpan(parent, span),
    end(statusCode: number): void {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
      // Client errors are the caller's; only a server error marks the span failed.
      if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}
