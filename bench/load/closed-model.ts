import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { errorKind } from './phase-measurement';
import type { RequestRecorder } from './request-recorder';

/** One HTTP request to send: built afresh for every request. */
export interface HttpCall {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface ClosedLoadOptions {
  /** Base URL of the app. */
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  /** The name the requests are recorded under: `checkout`, `menu`, `my-orders`. */
  readonly kind: string;
  readonly next: () => HttpCall;
  readonly recorder: RequestRecorder;
  /** A 2xx answer created an order (counted in orders/s). */
  readonly createsOrder?: boolean;
}

/**
 * The closed model: `connections` keep-alive connections (autocannon), each sending its next request
 * as soon as the previous answer arrives, for `durationSeconds`. Non-2xx answers are errors by
 * status, with a few bodies kept; socket errors and autocannon's 10 s timeouts by their code.
 * Returns the wall seconds the load took.
 */
export async function runClosedLoad(options: ClosedLoadOptions): Promise<number> {
  const { recorder, kind } = options;
  const request: autocannon.Request = {
    // Called for every request: a fresh object each time, since autocannon adds Content-Length to
    // the headers it is given.
    setupRequest: (base) => {
      const call = options.next();
      return {
        ...base,
        method: call.method,
        path: call.path,
        headers: { ...call.headers },
        ...(call.body === undefined ? {} : { body: call.body }),
      };
    },
    onResponse: (status, body) => {
      if (status < 200 || status >= 300) recorder.sample(String(status), body);
    },
  };
  const startedAt = performance.now();
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        requests: [request],
      },
      // The typings declare the callback's error as `any`; narrowing it to unknown is safe.
      (error: unknown) => (error ? reject(toError(error)) : resolve()),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      const now = performance.now();
      if (statusCode >= 200 && statusCode < 300) {
        recorder.success(kind, now - responseTime, responseTime, options.createsOrder === true);
      } else {
        recorder.failure(kind, String(statusCode), now - responseTime, responseTime);
      }
    });
    instance.on('reqError', (error: unknown) =>
      recorder.failure(kind, errorKind(error), performance.now(), 0),
    );
  });
  return (performance.now() - startedAt) / 1000;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(errorKind(error));
}
