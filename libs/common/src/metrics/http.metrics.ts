import { Counter, Histogram, register } from 'prom-client';

type HttpLabel = 'method' | 'route' | 'status_class';

// Registered once per process: two apps in one process (tests) share the metric.
function metric<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

/**
 * Requests answered, by method, route template (`/v1/orders/:orderId`, never the raw URL, so ids
 * never become labels; `unmatched` for a path no route serves) and status class (`2xx` ... `5xx`).
 */
export const httpRequests = metric(
  'eos_http_requests_total',
  () =>
    new Counter<HttpLabel>({
      name: 'eos_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status class',
      labelNames: ['method', 'route', 'status_class'],
    }),
);

/** From the request's arrival to its response being sent, with the same labels. */
export const httpRequestSeconds = metric(
  'eos_http_request_duration_seconds',
  () =>
    new Histogram<HttpLabel>({
      name: 'eos_http_request_duration_seconds',
      help: 'HTTP request latency, by method, route template and status class',
      labelNames: ['method', 'route', 'status_class'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
);

/** Route label of a request no route matched: a scanner's random paths must not become labels. */
export const UNMATCHED_ROUTE = 'unmatched';

export function statusClassOf(statusCode: number): string {
  return `${Math.floor(statusCode / 100)}xx`;
}

/** Records one answered request; `seconds` from arrival to the response being sent. */
export function recordHttpRequest(method: string, route: string, statusCode: number, seconds: number): void {
  const labels = { method, route, status_class: statusClassOf(statusCode) };
  httpRequests.inc(labels);
  httpRequestSeconds.observe(labels, seconds);
}
