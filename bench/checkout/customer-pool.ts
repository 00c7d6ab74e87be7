import { randomInt } from 'node:crypto';
import { mintToken } from '@eos/common';
import { LOGICAL_SHARDS } from '@eos/sharding';

export interface Customer {
  /** Decimal user id, as the API and the token subject carry it. */
  readonly id: string;
  /** `Bearer <JWT>` for the Authorization header, minted once up front. */
  readonly authorization: string;
}

const MAX_USER_ID = 10 ** 12;

/**
 * Customers with random ids in 1..10^12, the same number on each of the 120 user shards, so the
 * load lands on every shard schema and both shard databases as real traffic would. Tokens are
 * minted before the clock starts: signing is the client's cost, not the app's.
 */
export class CustomerPool {
  private constructor(private readonly customers: readonly Customer[]) {}

  static create(jwtSecret: string, size: number): CustomerPool {
    const ids = new Set<string>();
    for (let i = 0; ids.size < size; i += 1) {
      // id = k * 120 + shard picks the shard exactly (the router takes id mod 120).
      const shard = i % LOGICAL_SHARDS;
      const k = randomInt(1, Math.floor(MAX_USER_ID / LOGICAL_SHARDS));
      ids.add(String(k * LOGICAL_SHARDS + shard));
    }
    return new CustomerPool(
      [...ids].map((id) => ({ id, authorization: `Bearer ${mintToken(jwtSecret, 'customer', id)}` })),
    );
  }

  get size(): number {
    return this.customers.length;
  }

  /** The customer at `index` (modulo the size): a simulated user keeps one identity. */
  at(index: number): Customer {
    return this.customers[index % this.customers.length];
  }

  pick(): Customer {
    return this.customers[randomInt(this.customers.length)];
  }
}
