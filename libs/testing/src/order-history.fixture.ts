import { randomInt, randomUUID } from 'node:crypto';
import { OrderKind, eventTypeForStatus, type OrderEventPayload, type OrderStatus } from '@eos/domain';
import type { SqlRunner } from '@eos/persistence';
import { encodeOrderId, type ShardRoute, type ShardRouter } from '@eos/sharding';
import { newUserId } from './order.factory';

/** An order written straight to its user shard by a test, with the outbox rows of its history. */
export interface SyntheticOrder {
  readonly id: string;
  readonly userId: string;
  readonly merchantId: string;
  readonly totalCents: number;
  readonly createdAt: Date;
  /** The user shard's route (schema and database). */
  readonly route: ShardRoute;
}

/**
 * A new order id on the user's shard at `at`, on worker number 63 with a random sequence: tests use
 * past or far-away times, so it never meets an id a running app issues.
 */
export function syntheticOrder(
  router: ShardRouter,
  options: { userId?: string; merchantId?: string; at?: Date } = {},
): SyntheticOrder {
  const userId = options.userId ?? newUserId();
  const at = options.at ?? new Date(Date.now() - randomInt(60_000, 3_600_000));
  const route = router.routeUser(userId);
  const id = encodeOrderId({
    timestampMs: at.getTime(),
    shard: route.shard,
    worker: 63,
    sequence: randomInt(512),
  });
  return {
    id: id.toString(),
    userId,
    merchantId: options.merchantId ?? String(randomInt(1, 1001)),
    totalCents: randomInt(100, 100_000),
    createdAt: at,
    route,
  };
}

export interface WrittenHistory {
  /** Event ids of the outbox rows, one per status, in version order. */
  readonly eventIds: string[];
}

/**
 * Writes the order at the last of `statuses` (version = their count) and one outbox row per
 * status, version 1 upwards, with the payload the domain would write: a consistent history, so a
 * projector that applies it leaves the merchant dimension equal to the user dimension. Without
 * `outbox`, only the order row (a relay running elsewhere then has nothing to publish).
 */
export async function writeOrderHistory(
  runner: SqlRunner,
  order: SyntheticOrder,
  statuses: readonly OrderStatus[],
  options: { readonly outbox?: boolean } = {},
): Promise<WrittenHistory> {
  const schema = order.route.schema;
  const version = statuses.length;
  const last = statuses[version - 1];
  await runner.query(
    `INSERT INTO ${schema}.orders (id, user_id, merchant_id, kind, status, subtotal_cents, packaging_fee_cents,
       delivery_fee_cents, discount_cents, total_cents, currency, address, note, version, created_at, updated_at,
       payment_deadline)
     VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 0, $6, 'CNY', '{"line1":"1 Test Road","city":"Shanghai","phone":"13800000000"}',
       NULL, $7, $8, $9, $8)`,
    [
      order.id,
      order.userId,
      order.merchantId,
      OrderKind.Delivery,
      last,
      order.totalCents,
      version,
      order.createdAt.toISOString(),
      new Date(order.createdAt.getTime() + (version - 1) * 1000).toISOString(),
    ],
  );
  const eventIds: string[] = [];
  if (options.outbox === false) return { eventIds };
  for (let index = 0; index < statuses.length; index += 1) {
    const at = new Date(order.createdAt.getTime() + index * 1000);
    const payload: OrderEventPayload = {
      orderId: order.id,
      userId: order.userId,
      merchantId: order.merchantId,
      kind: OrderKind.Delivery,
      status: statuses[index],
      previousStatus: index === 0 ? null : statuses[index - 1],
      totalCents: order.totalCents,
      currency: 'CNY',
      version: index + 1,
      createdAt: order.createdAt.toISOString(),
      updatedAt: at.toISOString(),
    };
    const eventId = randomUUID();
    eventIds.push(eventId);
    await runner.query(
      `INSERT INTO ${schema}.outbox (event_id, order_id, event_type, order_version, payload, created_at)
       VALUES ($1, $2, $3, $4, $5, now())`,
      [eventId, order.id, eventTypeForStatus(statuses[index]), index + 1, JSON.stringify(payload)],
    );
  }
  return { eventIds };
}
