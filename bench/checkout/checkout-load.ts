import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import type { Customer } from './customer-pool';
import { busyShare, machineCpu, ownCpuSeconds } from './cpu-usage';
import { LatencyRecorder } from './latency-stats';
import { ErrorTally, errorKind, type PhaseMeasurement } from './phase-measurement';

/** Where each request's customer, key and body come from: CheckoutRequests, VirtualOrderRequests. */
export interface OrderRequestSource {
  next(): { readonly customer: Customer; readonly idempotencyKey: string; readonly body: unknown };
}

export interface CheckoutLoadOptions {
  /** Base URL of the running forward-order app. */
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly checkouts: OrderRequestSource;
  /** The route that creates an order; `/v1/orders` (a delivery checkout) by default. */
  readonly path?: string;
  /** CPU seconds used so far by the app process, to report how many cores it kept busy. */
  readonly appCpuSeconds?: () => number | undefined;
}

/**
 * Drives `POST /v1/orders` (or `path`) with autocannon: `connections` keep-alive connections, each sending
 * its next checkout as soon as the previous answer arrives (closed loop, like the SQL ceiling).
 */
export async function runCheckoutLoad(options: CheckoutLoadOptions): Promise<PhaseMeasurement> {
  const latency = new LatencyRecorder();
  const errors = new ErrorTally();
  let orders = 0;

  const checkout: autocannon.Request = {
    method: 'POST',
    path: options.path ?? '/v1/orders',
    // Called for every request: a fresh object each time, since autocannon adds Content-Length to
    // the headers it is given.
    setupRequest: (request) => {
      const next = options.checkouts.next();
      return {
        ...request,
        headers: {
          authorization: next.customer.authorization,
          'content-type': 'application/json',
          'idempotency-key': next.idempotencyKey,
        },
        body: JSON.stringify(next.body),
      };
    },
    onResponse: (status, body) => {
      if (status < 200 || status >= 300) errors.addSample(String(status), body);
    },
  };

  const cpuBefore = machineCpu();
  const clientCpuBefore = ownCpuSeconds();
  const appCpuBefore = options.appCpuSeconds?.();
  const startedAt = performance.now();
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        requests: [checkout],
      },
      // The typings declare the callback's error as `any`; narrowing it to unknown is safe.
      (error: unknown) => (error ? reject(toError(error)) : resolve()),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) {
        orders += 1;
        latency.record(responseTime);
      } else {
        errors.add(String(statusCode));
      }
    });
    // Socket errors and timeouts (autocannon's default timeout is 10 s), which have no status.
    instance.on('reqError', (error: unknown) => errors.add(errorKind(error)));
  });
  const seconds = (performance.now() - startedAt) / 1000;
  const appCpuAfter = options.appCpuSeconds?.();

  return {
    orders,
    seconds,
    ordersPerSecond: orders / seconds,
    latency: latency.summary(),
    errors: errors.count,
    errorsByKind: errors.byKind(),
    errorSamples: errors.sampleBodies(),
    machineBusy: busyShare(cpuBefore, machineCpu()),
    clientCores: (ownCpuSeconds() - clientCpuBefore) / seconds,
    appCores:
      appCpuBefore !== undefined && appCpuAfter !== undefined
        ? (appCpuAfter - appCpuBefore) / seconds
        : undefined,
  };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
