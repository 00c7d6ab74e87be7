import { MembershipPeriod } from '@eos/domain';
import type { ShardRoute } from '@eos/sharding';
import type { ShardTransaction } from '../reverse/shard-transaction';
import type { ShardDataSources } from '../shards/shard-data-sources';
import { onShard } from '../shards/shard-failure';

interface PeriodRow {
  order_id: string;
  user_id: string;
  business_line: string;
  plan: string;
  starts_at: Date;
  ends_at: Date;
  cancelled_at: Date | null;
}

const COLUMNS = `order_id::text AS order_id, user_id::text AS user_id, business_line, plan, starts_at, ends_at,
  cancelled_at`;

function periodFromRow(row: PeriodRow): MembershipPeriod {
  return {
    orderId: row.order_id,
    userId: row.user_id,
    businessLine: row.business_line,
    plan: row.plan,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    cancelledAt: row.cancelled_at,
  };
}

/** Memberships and the periods orders bought, on the member's user shard. */
export class MembershipRepository {
  constructor(private readonly sources: ShardDataSources) {}

  /**
   * Where the member's membership of the line ends now (null: never a member), with the member's
   * row locked until `tx` ends: a second purchase of the same member waits here and then sees the
   * end this one writes, so periods chain and never overlap.
   */
  async lockCurrentEnd(
    tx: ShardTransaction,
    userId: string,
    businessLine: string,
    at: Date,
  ): Promise<Date | null> {
    // ON CONFLICT DO UPDATE locks an existing row as well as creating a missing one, in one statement.
    const rows = await tx.query<{ ends_at: Date | null }>(
      `INSERT INTO ${tx.route.schema}.memberships AS m (user_id, business_line, ends_at, updated_at)
       VALUES ($1, $2, NULL, $3)
       ON CONFLICT (user_id, business_line) DO UPDATE SET updated_at = m.updated_at
       RETURNING m.ends_at`,
      [userId, businessLine, at.toISOString()],
    );
    return rows[0]?.ends_at ?? null;
  }

  /** Records a period and moves the member's end to it; the row was locked by lockCurrentEnd. */
  async addPeriod(tx: ShardTransaction, period: MembershipPeriod, at: Date): Promise<void> {
    await tx.query(
      `WITH period AS (
         INSERT INTO ${tx.route.schema}.membership_periods
           (order_id, user_id, business_line, plan, starts_at, ends_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
       )
       UPDATE ${tx.route.schema}.memberships SET ends_at = $6, updated_at = $7
        WHERE user_id = $2 AND business_line = $3`,
      [
        period.orderId,
        period.userId,
        period.businessLine,
        period.plan,
        period.startsAt.toISOString(),
        period.endsAt.toISOString(),
        at.toISOString(),
      ],
    );
  }

  /** The order's period, if its line starts one; locked when the caller will change it (a refund cancels it). */
  async findByOrder(tx: ShardTransaction, orderId: string, lock: boolean): Promise<MembershipPeriod | null> {
    const rows = await tx.query<PeriodRow>(
      `SELECT ${COLUMNS} FROM ${tx.route.schema}.membership_periods WHERE order_id = $1${lock ? ' FOR UPDATE' : ''}`,
      [orderId],
    );
    return rows[0] ? periodFromRow(rows[0]) : null;
  }

  /**
   * Cancels the order's period (its order was refunded): it no longer counts as membership. The
   * row was locked by findByOrder in this transaction. Answers the period as it now stands.
   */
  async cancelPeriod(tx: ShardTransaction, orderId: string, at: Date): Promise<MembershipPeriod> {
    const rows = await tx.query<PeriodRow>(
      `UPDATE ${tx.route.schema}.membership_periods SET cancelled_at = $2
        WHERE order_id = $1 AND cancelled_at IS NULL
        RETURNING ${COLUMNS}`,
      [orderId, at.toISOString()],
    );
    if (!rows[0]) throw new Error(`membership period of order ${orderId} was cancelled under its lock`);
    return periodFromRow(rows[0]);
  }

  /**
   * The member's periods of the line, oldest first, with the member's row locked until `tx` ends,
   * as a purchase locks it (lockCurrentEnd). The lock is taken by a statement of its own so that
   * the read after it sees a purchase that committed while this one waited: a single statement
   * would read with the snapshot it started with and miss that purchase's period.
   */
  async lockLinePeriods(
    tx: ShardTransaction,
    userId: string,
    businessLine: string,
  ): Promise<MembershipPeriod[]> {
    await tx.query(
      `SELECT 1 FROM ${tx.route.schema}.memberships WHERE user_id = $1 AND business_line = $2 FOR UPDATE`,
      [userId, businessLine],
    );
    const rows = await tx.query<PeriodRow>(
      `SELECT ${COLUMNS} FROM ${tx.route.schema}.membership_periods
        WHERE user_id = $1 AND business_line = $2 ORDER BY starts_at, order_id`,
      [userId, businessLine],
    );
    return rows.map(periodFromRow);
  }

  /** Moves where the member's membership of the line ends (null: nothing left); locked by lockLinePeriods. */
  async setCurrentEnd(
    tx: ShardTransaction,
    userId: string,
    businessLine: string,
    endsAt: Date | null,
    at: Date,
  ): Promise<void> {
    await tx.query(
      `UPDATE ${tx.route.schema}.memberships SET ends_at = $3, updated_at = $4
        WHERE user_id = $1 AND business_line = $2`,
      [userId, businessLine, endsAt?.toISOString() ?? null, at.toISOString()],
    );
  }

  /** Every period of the member, by line, oldest first. */
  async periodsOf(route: ShardRoute, userId: string): Promise<MembershipPeriod[]> {
    return onShard(route.database, async () => {
      const rows: PeriodRow[] = await this.sources.get(route.database).query(
        `SELECT ${COLUMNS} FROM ${route.schema}.membership_periods
          WHERE user_id = $1 ORDER BY business_line, starts_at, order_id`,
        [userId],
      );
      return rows.map(periodFromRow);
    });
  }
}
