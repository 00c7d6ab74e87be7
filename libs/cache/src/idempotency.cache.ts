import type Redis from 'ioredis';
import { redisBreaker } from './redis-breaker';

export interface RememberedOutcome {
  readonly orderId: string;
  readonly requestHash: string;
}

const TTL_SECONDS = 24 * 3600;

/**
 * The fast path of idempotent checkout: a finished key's outcome, so a retried request is
 * answered without a write attempt. Postgres' unique key stays the authority; a Redis error here
 * only means the slow path is taken.
 */
export class IdempotencyCache {
  constructor(private readonly redis: Redis) {}

  private key(scope: string, userId: string, idempotencyKey: string): string {
    return `eos:idem:${scope}:${userId}:${idempotencyKey}`;
  }

  async recall(scope: string, userId: string, idempotencyKey: string): Promise<RememberedOutcome | null> {
    try {
      // While Redis's circuit is open this fails at once: the database path answers instead.
      const raw = await redisBreaker(this.redis).execute(() =>
        this.redis.get(this.key(scope, userId, idempotencyKey)),
      );
      return raw ? (JSON.parse(raw) as RememberedOutcome) : null;
    } catch {
      return null;
    }
  }

  async remember(
    scope: string,
    userId: string,
    idempotencyKey: string,
    outcome: RememberedOutcome,
  ): Promise<void> {
    try {
      await redisBreaker(this.redis).execute(() =>
        this.redis.set(this.key(scope, userId, idempotencyKey), JSON.stringify(outcome), 'EX', TTL_SECONDS),
      );
    } catch {
      // Not remembered: the next retry takes the database path and still gets the same order.
    }
  }
}
