import Fastify from 'fastify';
import pino from 'pino';
import { register } from 'prom-client';
import { requestIdOf } from '../logging/request-id';
import { requestLogFields } from '../logging/request-log.scope';
import { observeRequests } from './request-observability.hooks';

describe('request observability hooks', () => {
  it('labels requests by route template (unmatched paths as one label) and echoes the request id', async () => {
    const server = Fastify({ genReqId: (request) => requestIdOf(request.headers['x-request-id']) });
    observeRequests(server, pino({ level: 'silent' }));
    server.get('/v1/orders/:orderId', async () => ({ ok: true }));

    const served = await server.inject({
      url: '/v1/orders/387364246890243072',
      headers: { 'x-request-id': 'abc-123-def' },
    });
    const scanned = await server.inject({ url: '/wp-admin/387364246890243072' });
    const forged = await server.inject({ url: '/v1/orders/1', headers: { 'x-request-id': 'a\nfake line' } });
    await server.close();

    expect(served.headers['x-request-id']).toBe('abc-123-def');
    expect(scanned.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const counted = (await register.getSingleMetric('eos_http_requests_total')?.get())?.values ?? [];
    expect(
      counted.map(({ labels, value }) => [labels.method, labels.route, labels.status_class, value]),
    ).toEqual(
      expect.arrayContaining([
        ['GET', '/v1/orders/:orderId', '2xx', 2],
        ['GET', 'unmatched', '4xx', 1],
      ]),
    );
    expect(JSON.stringify(counted)).not.toContain('387364246890243072');
  });

  it.each([
    [true, 'req-scope-on-1'],
    [false, undefined],
  ])('with requestScope %s, code serving the request sees its ids: %s', async (requestScope, seen) => {
    const lines: { msg?: string; reqId?: string }[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => lines.push(JSON.parse(line) as object) },
    );
    const server = Fastify({ genReqId: (request) => requestIdOf(request.headers['x-request-id']) });
    observeRequests(server, logger, { requestScope });
    server.get('/v1/whoami', async () => ({ reqId: requestLogFields()?.reqId ?? null }));

    const answer = await server.inject({ url: '/v1/whoami', headers: { 'x-request-id': 'req-scope-on-1' } });
    await server.close();

    expect(answer.json<{ reqId: string | null }>().reqId).toBe(seen ?? null);
    // The request's own closing line names it either way.
    expect(lines.find((line) => line.msg === 'request completed')?.reqId).toBe('req-scope-on-1');
  });
});
