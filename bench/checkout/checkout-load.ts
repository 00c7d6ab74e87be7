import type { Customer } from './customer-pool';
import { runClosedLoad, type HttpCall } from '../load/closed-model';
import { busyShare, machineCpu, ownCpuSeconds } from '../load/cpu-usage';
import type { PhaseMeasurement } from '../load/phase-measurement';
import { RequestRecorder } from '../load/request-recorder';

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

/** The next checkout as an HTTP request: its customer's token, a fresh Idempotency-Key, the body. */
export function checkoutCall(source: OrderRequestSource, path = '/v1/orders'): HttpCall {
  const next = source.next();
  return {
    method: 'POST',
    path,
    headers: {
      authorization: next.customer.authorization,
      'content-type': 'application/json',
      'idempotency-key': next.idempotencyKey,
    },
    body: JSON.stringify(next.body),
  };
}

/**
 * Drives `POST /v1/orders` (or `path`) in the closed model (runClosedLoad: `connections` keep-alive
 * connections, each sending its next checkout as soon as the previous answer arrives, like the SQL
 * ceiling's loops).
 */
export async function runCheckoutLoad(options: CheckoutLoadOptions): Promise<PhaseMeasurement> {
  const recorder = new RequestRecorder();
  const cpuBefore = machineCpu();
  const clientCpuBefore = ownCpuSeconds();
  const appCpuBefore = options.appCpuSeconds?.();
  const seconds = await runClosedLoad({
    url: options.url,
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    kind: 'checkout',
    createsOrder: true,
    recorder,
    next: () => checkoutCall(options.checkouts, options.path),
  });
  const appCpuAfter = options.appCpuSeconds?.();
  const traffic = recorder.summarize(seconds);

  return {
    orders: traffic.orders,
    seconds,
    ordersPerSecond: traffic.ordersPerSecond,
    latency: traffic.latency,
    errors: traffic.errors,
    errorsByKind: traffic.errorsByCode,
    errorSamples: traffic.errorSamples,
    machineBusy: busyShare(cpuBefore, machineCpu()),
    clientCores: (ownCpuSeconds() - clientCpuBefore) / seconds,
    appCores:
      appCpuBefore !== undefined && appCpuAfter !== undefined
        ? (appCpuAfter - appCpuBefore) / seconds
        : undefined,
  };
}
