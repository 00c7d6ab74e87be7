import { mintToken } from '@eos/common';
import { http } from './http.client';
import { checkoutBody, newIdempotencyKey, newUserId } from './order.factory';

export interface PlacedOrder {
  readonly id: string;
  readonly userId: string;
  readonly merchantId: string;
  readonly totalCents: number;
  readonly version: number;
  readonly status: string;
  readonly createdAt: string;
}

export interface CheckoutRun {
  readonly orders: PlacedOrder[];
  /** Status (or error text) of every checkout that did not answer 201. */
  readonly failures: string[];
}

export interface CheckoutRunOptions {
  readonly url: string;
  readonly jwtSecret: string;
  readonly count: number;
  readonly concurrency: number;
  /** Spread the checkouts over time: at most this many started per second (default: no limit). */
  readonly perSecond?: number;
  /** Called as orders are created, e.g. to act in the middle of a run. */
  readonly onProgress?: (created: number) => void;
}

/** Places `count` checkouts over HTTP, each a new customer, `concurrency` at a time. */
export async function placeOrders(options: CheckoutRunOptions): Promise<CheckoutRun> {
  const orders: PlacedOrder[] = [];
  const failures: string[] = [];
  const startedAt = Date.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.count) {
      const index = next;
      next += 1;
      if (options.perSecond) {
        const due = startedAt + (index * 1000) / options.perSecond;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const userId = newUserId();
      try {
        const response = await http<PlacedOrder>('POST', `${options.url}/v1/orders`, {
          token: mintToken(options.jwtSecret, 'customer', userId),
          body: checkoutBody(),
          headers: { 'idempotency-key': newIdempotencyKey() },
        });
        if (response.status === 201) {
          orders.push(response.body);
          options.onProgress?.(orders.length);
        } else failures.push(`${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { orders, failures };
}
