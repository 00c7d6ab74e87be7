import { ShardRoute } from '@eos/sharding';
import { ShardDataSources } from '../shards/shard-data-sources';
import { onShard } from '../shards/shard-failure';

/** What a recorded notification led to. */
export type PaymentOutcome = 'APPLIED' | 'IGNORED_FAILED' | 'REFUND_DUE';

export interface PaymentNotificationRecord {
  readonly notificationId: string;
  readonly orderId: string;
  readonly amountCents: number;
  readonly status: string;
  readonly paidAt: Date | null;
  readonly receivedAt: Date;
  readonly outcome: PaymentOutcome;
}

/** A refund to mark with the notification: the money it brought goes back. */
export interface RefundMark {
  readonly reason: string;
  readonly currency: string;
}

/**
 * Payment notifications kept on the order's user shard: a replay is recognised by its id, and a
 * payment the order could not take is kept with its refund marker. (A notification that paid the
 * order is written with the transition itself, see order-transition.sql.ts.)
 */
export class PaymentNotificationRepository {
  constructor(private readonly sources: ShardDataSources) {}

  async isRecorded(route: ShardRoute, notificationId: string): Promise<boolean> {
    return onShard(route.database, async () => {
      const rows: unknown[] = await this.sources
        .get(route.database)
        .query(`SELECT 1 FROM ${route.schema}.payment_notifications WHERE notification_id = $1`, [
          notificationId,
        ]);
      return rows.length > 0;
    });
  }

  /**
   * Records a notification that does not move the order, and its refund marker if any, in one
   * statement. False when the notification was recorded before (a replay): then nothing is written.
   */
  async record(
    route: ShardRoute,
    record: PaymentNotificationRecord,
    refund: RefundMark | null,
  ): Promise<boolean> {
    const schema = route.schema;
    return onShard(route.database, async () => {
      const rows: { recorded: number }[] = await this.sources.get(route.database).query(
        `WITH note AS (
  INSERT INTO ${schema}.payment_notifications (notification_id, order_id, amount_cents, status, paid_at, received_at, outcome)
  VALUES ($1::text, $2::bigint, $3::bigint, $4::text, $5::timestamptz, $6::timestamptz, $7::text)
  ON CONFLICT (notification_id) DO NOTHING
  RETURNING notification_id, order_id, amount_cents, received_at
), refund AS (
  INSERT INTO ${schema}.refunds_due (order_id, notification_id, reason, amount_cents, currency, created_at)
  SELECT order_id, notification_id, $8::text, amount_cents, $9::text, received_at FROM note WHERE $8::text IS NOT NULL
)
SELECT count(*)::int AS recorded FROM note`,
        [
          record.notificationId,
          record.orderId,
          record.amountCents,
          record.status,
          record.paidAt?.toISOString() ?? null,
          record.receivedAt.toISOString(),
          record.outcome,
          refund?.reason ?? null,
          refund?.currency ?? null,
        ],
      );
      return rows[0].recorded === 1;
    });
  }
}
