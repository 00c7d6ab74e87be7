import { Injectable } from '@nestjs/common';
import { IdempotencyCache, RememberedOutcome } from '@eos/cache';
import { DomainError, DomainErrorCode, Order } from '@eos/domain';
import { UserOrderRepository } from '@eos/persistence';

// Delivery and virtual orders share the user's idempotency keys (one table), so they share the
// Redis copy's scope too; the request digest tells the two kinds' requests apart.
const SCOPE = 'checkout';

/**
 * The idempotency of every order-creating request (delivery checkout, virtual order): the Redis
 * copy that answers a retry before any work, and the database record behind it. A key used for
 * the same request answers that request's order as it is now; for another request,
 * IDEMPOTENCY_KEY_REUSED. `present` turns the stored order into the caller's answer.
 */
@Injectable()
export class CheckoutIdempotency {
  constructor(
    private readonly cache: IdempotencyCache,
    private readonly orders: UserOrderRepository,
  ) {}

  recall(userId: string, idempotencyKey: string): Promise<RememberedOutcome | null> {
    return this.cache.recall(SCOPE, userId, idempotencyKey);
  }

  /** Not awaited by checkout: the database key already guards a retry; the copy only speeds one up. */
  remember(userId: string, idempotencyKey: string, outcome: RememberedOutcome): void {
    void this.cache.remember(SCOPE, userId, idempotencyKey, outcome);
  }

  /** The order of an earlier request with this key, from the database; null if the key is unused. */
  async replayFromDatabase<T>(
    userId: string,
    idempotencyKey: string,
    requestHash: string,
    present: (order: Order) => T | Promise<T>,
  ): Promise<T | null> {
    const record = await this.orders.findIdempotency(userId, idempotencyKey);
    if (!record) return null;
    const result = await this.replay(userId, record, requestHash, present);
    await this.cache.remember(SCOPE, userId, idempotencyKey, record);
    return result;
  }

  async replay<T>(
    userId: string,
    remembered: RememberedOutcome,
    requestHash: string,
    present: (order: Order) => T | Promise<T>,
  ): Promise<T> {
    if (remembered.requestHash !== requestHash) {
      throw new DomainError(
        DomainErrorCode.IdempotencyKeyReused,
        'this Idempotency-Key was used for a different request',
      );
    }
    // As it is now: a retry after payment sees the order paid, not as it was created.
    const order = await this.orders.findForUser(remembered.orderId, userId);
    if (!order) throw new Error(`idempotency record names order ${remembered.orderId}, which is missing`);
    return present(order);
  }
}
