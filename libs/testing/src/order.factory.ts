import { randomBytes, randomInt } from 'node:crypto';
import { demoItemId } from '@eos/persistence';

/** A fresh user id nobody else in this run uses, spread over every shard. */
export function newUserId(): string {
  return String(randomInt(1, 2 ** 47) * 1000 + randomInt(0, 1000));
}

export function newIdempotencyKey(): string {
  return `test-${randomBytes(12).toString('hex')}`;
}

export interface CheckoutBody {
  merchantId: string;
  items: { itemId: string; quantity: number }[];
  address: { line1: string; city: string; phone: string };
  note?: string;
}

/** A valid checkout against the demo catalog (merchants 1..1000, items merchant*100 + 1..30). */
export function checkoutBody(merchant = randomInt(1, 1001), lines = 2): CheckoutBody {
  const picks = new Set<number>();
  while (picks.size < lines) picks.add(randomInt(1, 31));
  return {
    merchantId: String(merchant),
    items: [...picks].map((n) => ({ itemId: demoItemId(merchant, n), quantity: randomInt(1, 4) })),
    address: { line1: '88 Test Road', city: 'Shanghai', phone: '13800000000' },
  };
}
