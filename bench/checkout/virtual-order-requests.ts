import { randomBytes, randomInt } from 'node:crypto';
import { DEMO_MERCHANTS } from '@eos/persistence';
import type { Customer, CustomerPool } from './customer-pool';

/** The JSON body of `POST /v1/virtual-orders`. */
export interface VirtualOrderBody {
  readonly businessLine: string;
  readonly merchantId: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number }[];
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface VirtualOrderRequest {
  readonly customer: Customer;
  readonly idempotencyKey: string;
  readonly body: VirtualOrderBody;
}

// The products of the configured lines (apps/forward-order/src/virtual/virtual-business-lines.config.ts).
const BREAKFAST = ['breakfast-set-a', 'breakfast-set-b', 'breakfast-coffee'] as const;
const MEMBERSHIP = ['membership-monthly', 'membership-quarterly', 'membership-yearly'] as const;

/**
 * A stream of distinct virtual orders, half breakfast (1 to 3 products, with details), half
 * membership cards (one plan): a random customer and demo seller, a fresh Idempotency-Key each.
 */
export class VirtualOrderRequests {
  private readonly keyPrefix = `bench-virtual.${randomBytes(6).toString('hex')}.`;
  private sequence = 0;

  constructor(private readonly customers: CustomerPool) {}

  next(): VirtualOrderRequest {
    this.sequence += 1;
    const merchantId = String(randomInt(1, DEMO_MERCHANTS + 1));
    const body: VirtualOrderBody =
      this.sequence % 2 === 0
        ? {
            businessLine: 'breakfast',
            merchantId,
            items: BREAKFAST.slice(0, randomInt(1, BREAKFAST.length + 1)).map((sku) => ({
              sku,
              quantity: randomInt(1, 4),
            })),
            details: { pickupDate: '2030-01-15' },
          }
        : {
            businessLine: 'membership',
            merchantId,
            items: [{ sku: MEMBERSHIP[randomInt(MEMBERSHIP.length)], quantity: 1 }],
          };
    return {
      customer: this.customers.pick(),
      idempotencyKey: this.keyPrefix + this.sequence.toString(36),
      body,
    };
  }
}
