import { randomBytes, randomInt } from 'node:crypto';
import { DEMO_ITEMS_PER_MERCHANT, DEMO_MERCHANTS, demoItemId } from '@eos/persistence';
import type { Customer, CustomerPool } from './customer-pool';

/** The JSON body of `POST /v1/orders`, ids as decimal strings. */
export interface CheckoutBody {
  readonly merchantId: string;
  readonly items: readonly { readonly itemId: string; readonly quantity: number }[];
  readonly address: { readonly line1: string; readonly city: string; readonly phone: string };
}

export interface CheckoutRequest {
  readonly customer: Customer;
  readonly idempotencyKey: string;
  readonly body: CheckoutBody;
}

const MAX_LINES = 4;
const MAX_QUANTITY = 3;
const CITIES = ['Shanghai', 'Beijing', 'Shenzhen', 'Hangzhou', 'Chengdu'] as const;

/**
 * A stream of distinct checkouts: a random customer, a random demo merchant, 1 to 4 distinct items
 * of its menu, and a fresh Idempotency-Key each time, so every request creates a new order and
 * none is answered from the idempotency cache. The app and the SQL ceiling draw from the same
 * stream, so both write the same mix of orders.
 */
export class CheckoutRequests {
  /** Distinguishes this benchmark invocation's keys from any earlier one's. */
  private readonly keyPrefix = `bench.${randomBytes(6).toString('hex')}.`;
  private sequence = 0;

  constructor(private readonly customers: CustomerPool) {}

  next(): CheckoutRequest {
    const merchant = randomInt(1, DEMO_MERCHANTS + 1);
    const lineCount = randomInt(1, MAX_LINES + 1);
    const picked = new Set<number>();
    while (picked.size < lineCount) picked.add(randomInt(1, DEMO_ITEMS_PER_MERCHANT + 1));
    this.sequence += 1;
    return {
      customer: this.customers.pick(),
      idempotencyKey: this.keyPrefix + this.sequence.toString(36),
      body: {
        merchantId: String(merchant),
        items: [...picked].map((n) => ({
          itemId: demoItemId(merchant, n),
          quantity: randomInt(1, MAX_QUANTITY + 1),
        })),
        address: {
          line1: `${randomInt(1, 2000)} Benchmark Road`,
          city: CITIES[randomInt(CITIES.length)],
          phone: `138${String(randomInt(0, 100_000_000)).padStart(8, '0')}`,
        },
      },
    };
  }
}
