import { OrderEventPayload, OrderStatus } from '@eos/domain';
import { StatementParams } from '../shards/statement-params';

/** A payment notification recorded with the PAY transition it caused. */
export interface AppliedPaymentRecord {
  readonly notificationId: string;
  readonly amountCents: number;
  readonly status: string;
  readonly paidAt: Date | null;
}

/** A fencing token of a lock holder; the write is refused if a newer holder has written. */
export interface FenceToken {
  readonly name: string;
  readonly token: number;
}

/** One order's decided move: the row, its history entry and its outbox event. */
export interface OrderMove {
  readonly orderId: string;
  readonly fromStatus: OrderStatus;
  readonly toStatus: OrderStatus;
  readonly expectedVersion: number;
  readonly newVersion: number;
  readonly eventType: string;
  readonly eventPayload: OrderEventPayload;
  /** Mark the order's payment for refund, for this reason, with the move. */
  readonly refundReason: string | null;
  /** Refuse the move while a reverse request is open (checked on the row itself, not a snapshot). */
  readonly requireNoOpenReverseRequest: boolean;
}

/** Moves of orders on one shard written as one statement, by one actor at one time. */
export interface TransitionWrite {
  readonly moves: readonly OrderMove[];
  readonly at: Date;
  readonly actor: string;
  readonly reason: string | null;
  /** Record the notification that paid the order, unless it was recorded already (a replay). One move only. */
  readonly payment: AppliedPaymentRecord | null;
  readonly fence: FenceToken | null;
  /**
   * Leave out orders another transaction has locked instead of waiting for it (sweeps: that order
   * is being moved by someone else right now, and the next pass looks again). A command waits.
   */
  readonly skipLocked: boolean;
  /**
   * Write only while the order is assigned to this delivery partner, checked on the assignment row
   * in the same statement: a re-assignment landing after the caller's check moves nothing.
   */
  readonly deliveryPartnerId?: string | null;
}

export interface TransitionStatement {
  readonly text: string;
  readonly params: unknown[];
}

/**
 * Forward transitions as ONE statement on a user shard. Each order's UPDATE is guarded by the
 * version and status its move was decided on, so of two actors deciding on the same version
 * exactly one writes; history, outbox event, payment record and refund marker hang off the
 * UPDATE's RETURNING, so a refused guard writes nothing for that order. The answer lists the
 * orders that moved and, for a fenced write, whether the fence let it through.
 */
export function transitionStatement(schema: string, write: TransitionWrite): TransitionStatement {
  if (write.payment && write.moves.length !== 1) throw new Error('a payment pays exactly one order');
  const p = new StatementParams();
  const moves = p.add(
    JSON.stringify(
      // Ordered by id: concurrent batches lock rows in the same order and never deadlock.
      [...write.moves]
        .sort((a, b) => (BigInt(a.orderId) < BigInt(b.orderId) ? -1 : 1))
        .map((move) => ({
          id: move.orderId,
          from_status: move.fromStatus,
          to_status: move.toStatus,
          expected_version: move.expectedVersion,
          new_version: move.newVersion,
          event_type: move.eventType,
          payload: move.eventPayload,
          refund_reason: move.refundReason,
          no_open_reverse: move.requireNoOpenReverseRequest,
        })),
    ),
    'jsonb',
  );
  const at = p.add(write.at.toISOString(), 'timestamptz');
  const ctes = [
    `input AS (
  SELECT * FROM jsonb_to_recordset(${moves}) AS i(id bigint, from_status text, to_status text,
    expected_version integer, new_version integer, event_type text, payload jsonb, refund_reason text,
    no_open_reverse boolean)
)`,
  ];
  const guards = [
    'o.id = i.id',
    'o.version = i.expected_version',
    'o.status = i.from_status',
    '(NOT i.no_open_reverse OR o.open_reverse_requests = 0)',
  ];
  if (write.deliveryPartnerId) {
    guards.push(
      `EXISTS (SELECT 1 FROM ${schema}.delivery_assignments a WHERE a.order_id = o.id AND a.delivery_partner_id = ${p.add(write.deliveryPartnerId, 'bigint')})`,
    );
  }
  if (write.skipLocked) {
    ctes.push(`free AS MATERIALIZED (
  SELECT o.id FROM ${schema}.orders o JOIN input i ON i.id = o.id ORDER BY o.id FOR UPDATE OF o SKIP LOCKED
)`);
    guards.push('o.id IN (SELECT id FROM free)');
  }
  if (write.fence) {
    // Raised only while no newer holder has written; a paused holder that outlived its lease
    // finds a higher token here and writes nothing.
    ctes.push(`fence AS (
  INSERT INTO ${schema}.sweep_fences AS f (name, token) VALUES (${p.add(write.fence.name, 'text')}, ${p.add(write.fence.token, 'bigint')})
  ON CONFLICT (name) DO UPDATE SET token = EXCLUDED.token WHERE f.token <= EXCLUDED.token
  RETURNING token
)`);
    guards.push('EXISTS (SELECT 1 FROM fence)');
  }
  const notificationId = write.payment ? p.add(write.payment.notificationId, 'text') : null;
  if (notificationId) {
    guards.push(
      `NOT EXISTS (SELECT 1 FROM ${schema}.payment_notifications n WHERE n.notification_id = ${notificationId})`,
    );
  }

  ctes.push(`moved AS (
  UPDATE ${schema}.orders o SET status = i.to_status, version = i.new_version, updated_at = ${at},
    paid_at = CASE WHEN i.to_status = 'PAID' THEN ${at} ELSE o.paid_at END,
    delivered_at = CASE WHEN i.to_status = 'DELIVERED' THEN ${at} ELSE o.delivered_at END,
    completed_at = CASE WHEN i.to_status = 'COMPLETED' THEN ${at} ELSE o.completed_at END
  FROM input i
  WHERE ${guards.join(' AND ')}
  RETURNING o.id, o.total_cents, o.currency, i.from_status, i.to_status, i.new_version, i.event_type, i.payload,
    i.refund_reason
)`);
  ctes.push(`history AS (
  INSERT INTO ${schema}.order_status_history (order_id, version, from_status, to_status, actor, reason, at)
  SELECT id, new_version, from_status, to_status, ${p.add(write.actor, 'text')}, ${p.add(write.reason, 'text')}, ${at}
  FROM moved
)`);
  ctes.push(`outbox AS (
  INSERT INTO ${schema}.outbox (order_id, event_type, order_version, payload, created_at)
  SELECT id, event_type, new_version, payload, ${at} FROM moved
)`);
  if (write.payment && notificationId) {
    ctes.push(`payment AS (
  INSERT INTO ${schema}.payment_notifications (notification_id, order_id, amount_cents, status, paid_at, received_at, outcome)
  SELECT ${notificationId}, id, ${p.add(write.payment.amountCents, 'bigint')}, ${p.add(write.payment.status, 'text')},
    ${p.add(write.payment.paidAt?.toISOString() ?? null, 'timestamptz')}, ${at}, 'APPLIED' FROM moved
)`);
  }
  if (write.moves.some((move) => move.refundReason !== null)) {
    // The refund names the payment it returns: the notification that paid the order.
    ctes.push(`refund AS (
  INSERT INTO ${schema}.refunds_due (order_id, notification_id, reason, amount_cents, currency, created_at)
  SELECT id, (SELECT n.notification_id FROM ${schema}.payment_notifications n
      WHERE n.order_id = moved.id AND n.outcome = 'APPLIED' ORDER BY n.received_at LIMIT 1),
    refund_reason, total_cents, currency, ${at}
  FROM moved WHERE refund_reason IS NOT NULL
)`);
  }
  const fenced = write.fence ? '(SELECT count(*)::int FROM fence)' : '1';
  return {
    text: `WITH ${ctes.join(',\n')}
SELECT COALESCE((SELECT array_agg(id::text) FROM moved), '{}') AS moved, ${fenced} AS fenced`,
    params: p.values,
  };
}
