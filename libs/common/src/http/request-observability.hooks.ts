import { context } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { REQUEST_ID_HEADER } from '../logging/request-id';
import { type LoggedRequest, logFieldsOf, runInRequestScope } from '../logging/request-log.scope';
import { UNMATCHED_ROUTE, recordHttpRequest } from '../metrics/http.metrics';
import { type ServerSpan, startServerSpan } from '../tracing/http-server.span';

const SERVER_SPAN = Symbol('eos.serverSpan');

type ObservedRequest = FastifyRequest & { [SERVER_SPAN]?: ServerSpan };

/** The route template Fastify matched (`/v1/orders/:orderId`), never the URL with its ids. */
function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? UNMATCHED_ROUTE;
}

function pathOf(request: FastifyRequest): string {
  const query = request.url.indexOf('?');
  return query === -1 ? request.url : request.url.slice(0, query);
}

export interface RequestObservabilityOptions {
  /** The log scope below (LOG_REQUEST_SCOPE); default true. */
  readonly requestScope?: boolean;
}

/**
 * What every HTTP request gets, whichever app serves it:
 * - its id (`request.id`: the caller's valid `X-Request-Id`, else a fresh one) echoed in the
 *   `X-Request-Id` response header;
 * - a log scope, so that every line written while serving it carries `reqId` and, once known, the
 *   route's `orderId` and the customer's `userId` or the staff member's `staffId` (unless
 *   `requestScope` is false: then only its `request completed` line does);
 * - a server span when tracing is on (continuing the caller's `traceparent`), active for the
 *   whole handling, so the spans started below it (checkout SQL) are its children;
 * - once answered: the request counter and latency histogram by route template, and one
 *   `request completed` log line (at debug level, the headers and body received, sanitized).
 */
export function observeRequests(
  fastify: FastifyInstance,
  logger: Logger,
  options: RequestObservabilityOptions = {},
): void {
  const requestScope = options.requestScope ?? true;
  fastify.addHook('onRequest', (request: ObservedRequest, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    const span = startServerSpan(request.method, routeOf(request), pathOf(request), request.headers);
    if (!span) {
      if (requestScope) runInRequestScope(request as LoggedRequest, done);
      else done();
      return;
    }
    request[SERVER_SPAN] = span;
    runInRequestScope(request as LoggedRequest, () => context.with(span.context, done));
  });

  fastify.addHook('preHandler', (request, _reply, done) => {
    if (logger.isLevelEnabled('debug')) {
      logger.debug(
        { method: request.method, route: routeOf(request), headers: request.headers, body: request.body },
        'request received',
      );
    }
    done();
  });

  fastify.addHook('onResponse', (request: ObservedRequest, reply, done) => {
    const route = routeOf(request);
    const statusCode = reply.statusCode;
    recordHttpRequest(request.method, route, statusCode, reply.elapsedTime / 1000);
    request[SERVER_SPAN]?.end(statusCode);
    const fields = {
      ...logFieldsOf(request),
      method: request.method,
      route,
      path: pathOf(request),
      statusCode,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (statusCode >= 500) logger.error(fields, 'request failed');
    else logger.info(fields, 'request completed');
    done();
  });
}
