import { OrderEventType, OrderStatus, eventTypeForStatus } from '@eos/domain';
import { ShardDataSources } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';

export interface OrderTrail {
  readonly status: string;
  readonly version: number;
  readonly paidAt: string | null;
  readonly deliveredAt: string | null;
  readonly completedAt: string | null;
  readonly history: {
    version: number;
    from: string | null;
    to: string;
    actor: string;
    reason: string | null;
  }[];
  readonly outbox: { version: number; eventType: string }[];
  readonly notifications: { notificationId: string; outcome: string; status: string }[];
  readonly refunds: { reason: string; amountCents: number; notificationId: string | null }[];
}

/** Everything the user shard holds about one order's life, read in one round trip. */
export async function readOrderTrail(
  sources: ShardDataSources,
  router: ShardRouter,
  orderId: string,
): Promise<OrderTrail | null> {
  const { database, schema } = router.routeOrder(orderId);
  const rows: OrderTrail[] = await sources.get(database).query(
    `SELECT o.status, o.version,
  to_char(o.paid_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "paidAt",
  to_char(o.delivered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "deliveredAt",
  to_char(o.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "completedAt",
  COALESCE((SELECT json_agg(json_build_object('version', h.version, 'from', h.from_status, 'to', h.to_status,
      'actor', h.actor, 'reason', h.reason) ORDER BY h.version)
    FROM ${schema}.order_status_history h WHERE h.order_id = o.id), '[]') AS history,
  COALESCE((SELECT json_agg(json_build_object('version', b.order_version, 'eventType', b.event_type) ORDER BY b.id)
    FROM ${schema}.outbox b WHERE b.order_id = o.id), '[]') AS outbox,
  COALESCE((SELECT json_agg(json_build_object('notificationId', n.notification_id, 'outcome', n.outcome,
      'status', n.status) ORDER BY n.received_at, n.notification_id)
    FROM ${schema}.payment_notifications n WHERE n.order_id = o.id), '[]') AS notifications,
  COALESCE((SELECT json_agg(json_build_object('reason', r.reason, 'amountCents', r.amount_cents,
      'notificationId', r.notification_id) ORDER BY r.id)
    FROM ${schema}.refunds_due r WHERE r.order_id = o.id), '[]') AS refunds
FROM ${schema}.orders o WHERE o.id = $1`,
    [orderId],
  );
  return rows[0] ?? null;
}

/**
 * What is inconsistent in an order's trail: one history entry and one outbox event per version,
 * 1..version with no gap, each entry starting where the previous one ended, the last one at the
 * order's status, and the stamps of paid, delivered and completed present exactly when reached.
 */
const REFUND_EVENTS: ReadonlySet<string> = new Set([
  OrderEventType.RefundCompleted,
  OrderEventType.RefundFailed,
]);

export function trailProblems(trail: OrderTrail): string[] {
  const problems: string[] = [];
  const versions = trail.history.map((entry) => entry.version);
  const expected = Array.from({ length: trail.version }, (_, index) => index + 1);
  if (JSON.stringify(versions) !== JSON.stringify(expected)) {
    problems.push(`history versions ${JSON.stringify(versions)}, expected ${JSON.stringify(expected)}`);
  }
  trail.history.forEach((entry, index) => {
    const previous = index === 0 ? null : trail.history[index - 1].to;
    if (entry.from !== previous)
      problems.push(`history v${entry.version} starts at ${entry.from}, not ${previous}`);
  });
  const last = trail.history[trail.history.length - 1];
  if (last?.to !== trail.status) problems.push(`history ends at ${last?.to}, the order is ${trail.status}`);
  // Refund events are not status changes: they carry the order's current version beside its last
  // status event, so the one-event-per-version check looks at status events only.
  const events = trail.outbox
    .filter((event) => !REFUND_EVENTS.has(event.eventType))
    .map((event) => `${event.version}:${event.eventType}`);
  const expectedEvents = trail.history.map(
    (entry) => `${entry.version}:${eventTypeForStatus(entry.to as OrderStatus)}`,
  );
  if (JSON.stringify(events) !== JSON.stringify(expectedEvents)) {
    problems.push(`outbox ${JSON.stringify(events)}, expected ${JSON.stringify(expectedEvents)}`);
  }
  const reached = new Set(trail.history.map((entry) => entry.to));
  const stamps: [string, string | null][] = [
    [OrderStatus.Paid, trail.paidAt],
    [OrderStatus.Delivered, trail.deliveredAt],
    [OrderStatus.Completed, trail.completedAt],
  ];
  for (const [status, stamp] of stamps) {
    if (reached.has(status) !== (stamp !== null))
      problems.push(`${status} reached=${reached.has(status)} but stamp ${stamp}`);
  }
  return problems;
}

/** Columns of an order that hold a moment a deadline counts from. */
export type OrderMoment = 'payment_deadline' | 'paid_at' | 'delivered_at' | 'completed_at';

/**
 * Moves a stored moment of an order to `at`, so a test reaches a deadline without waiting (or
 * places a completion on a chosen day). Touches only the given order.
 */
export async function setOrderMoment(
  sources: ShardDataSources,
  router: ShardRouter,
  orderId: string,
  moment: OrderMoment,
  at: Date,
): Promise<void> {
  const { database, schema } = router.routeOrder(orderId);
  await sources
    .get(database)
    .query(`UPDATE ${schema}.orders SET ${moment} = $2 WHERE id = $1`, [orderId, at.toISOString()]);
}

/**
 * A moment long past: sweeps take due orders oldest first, so an order backdated to it is at the
 * head of its shard's queue even when the shared database holds a backlog of due orders.
 */
export const LONG_AGO = new Date('2001-01-01T00:00:00.000Z');
