import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROVIDER_SIGNATURE_HEADER, checkProviderSignature } from './provider-signature';
import {
  MalformedRequest,
  parseFailureInjection,
  parseIdempotencyKey,
  parseOrderIdQuery,
  parseRefundCall,
} from './provider-requests';
import { RefundLedger } from './refund-ledger';

export type { FailureMode, PaidRefund, RefundCall } from './refund-ledger';

export interface PaymentProviderOptions {
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** Signs refund calls (PAYMENT_PROVIDER_SECRET). */
  readonly secret: string;
  readonly host?: string;
}

export interface RunningPaymentProvider {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The provider's books, for tests that look inside. */
  readonly ledger: RefundLedger;
  /** Stops listening and drops every open connection, withheld answers included. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

class TooLarge extends Error {}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function refuse(response: ServerResponse, status: number, error: string, message: string): void {
  send(response, status, { error, message });
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new TooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * A simulated payment provider's refund API, for local runs, demos and tests: plain node:http,
 * state in memory (a restart forgets every refund). It behaves as the real one is specified to:
 *
 * - `POST /v1/refunds` with `Idempotency-Key` and `Provider-Signature` headers and body
 *   `{ refundId, orderId, amountCents, currency }`: 200 `{ providerRefundId, status: 'SUCCEEDED' }`;
 *   401 for a bad or stale (over 5 minutes) signature; 400 for a malformed body or key; the same key
 *   again answers the first answer; the same key with another body is 422.
 * - `POST /control/failures { orderId, count, mode: 'error' | 'timeout' }`: the order's next `count`
 *   refund calls answer 503, or pay and never answer (see FailureMode).
 * - `GET /control/refunds?orderId=`: `{ orderId, calls, refunds }`, what was paid for the order.
 *
 * The control routes are unauthenticated: a simulator for development machines and tests, never
 * to be exposed beyond them.
 */
export async function startPaymentProvider(options: PaymentProviderOptions): Promise<RunningPaymentProvider> {
  const ledger = new RefundLedger();
  const server: Server = createServer((request, response) => {
    handle(options.secret, ledger, request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (error instanceof TooLarge)
        refuse(response, 413, 'body_too_large', `at most ${MAX_BODY_BYTES} bytes`);
      else refuse(response, 500, 'internal', error instanceof Error ? error.message : String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`,
    ledger,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets and withheld answers would hold close() open forever.
        server.closeAllConnections();
      }),
  };
}

async function handle(
  secret: string,
  ledger: RefundLedger,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://provider');
  const route = `${request.method ?? ''} ${url.pathname}`;
  switch (route) {
    case 'POST /v1/refunds':
      return refund(secret, ledger, request, response);
    case 'POST /control/failures': {
      const body = await readBody(request);
      const parsed = parseOr400(response, () => parseFailureInjection(body));
      if (!parsed) return;
      ledger.injectFailures(parsed.orderId, parsed.count, parsed.mode);
      return send(response, 200, parsed);
    }
    case 'GET /control/refunds': {
      const orderId = parseOr400(response, () => parseOrderIdQuery(url.searchParams.get('orderId')));
      if (!orderId) return;
      return send(response, 200, {
        orderId,
        calls: ledger.callsFor(orderId),
        refunds: ledger.paidFor(orderId),
      });
    }
    case 'GET /health':
      return send(response, 200, { status: 'ok' });
    default:
      return refuse(response, 404, 'not_found', `no route ${route}`);
  }
}

async function refund(
  secret: string,
  ledger: RefundLedger,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const raw = await readBody(request);
  // The signature first: an unsigned caller learns nothing about the body's contract.
  const verdict = checkProviderSignature(
    secret,
    request.headers[PROVIDER_SIGNATURE_HEADER],
    raw,
    Date.now() / 1000,
  );
  if (verdict === 'invalid')
    return refuse(response, 401, 'signature_invalid', 'Provider-Signature does not match');
  if (verdict === 'stale')
    return refuse(response, 401, 'signature_stale', 'Provider-Signature is older than 5 minutes');
  const key = parseOr400(response, () => parseIdempotencyKey(request.headers['idempotency-key']));
  if (!key) return;
  const call = parseOr400(response, () => parseRefundCall(raw));
  if (!call) return;
  const answer = ledger.refund(key, call);
  switch (answer.kind) {
    case 'paid':
      return send(response, 200, { providerRefundId: answer.refund.providerRefundId, status: 'SUCCEEDED' });
    case 'key-reused':
      return refuse(
        response,
        422,
        'idempotency_key_reused',
        `Idempotency-Key ${key} was used for another refund`,
      );
    case 'unavailable':
      return refuse(response, 503, 'unavailable', 'injected failure: try again later');
    case 'withheld':
      // Paid, but the answer never leaves: the caller's timeout ends the exchange.
      return;
  }
}

function parseOr400<T>(response: ServerResponse, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof MalformedRequest)) throw error;
    refuse(response, 400, 'malformed_request', error.message);
    return undefined;
  }
}
