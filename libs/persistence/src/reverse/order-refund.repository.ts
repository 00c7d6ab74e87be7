import type { RefundBearer } from '@eos/domain';
import type { ShardRoute } from '@eos/sharding';
import { ShardDataSources } from '../shards/shard-data-sources';
import { onShard } from '../shards/shard-failure';
import { RefundRecord, RefundRow, refundColumns, refundFromRow } from '../refunds/refund.row';
import { ShardTransaction } from './shard-transaction';

/** A refund as reverse requests read it: the refunds table's one record shape. */
export type OrderRefund = RefundRecord;

/** A refund an approved refund request owes, to be paid out by the refund executor. */
export interface ApprovedRefund {
  readonly id: string;
  readonly orderId: string;
  readonly reverseRequestId: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly bearer: RefundBearer;
  readonly reason: string;
  readonly at: Date;
}

/** The refunds table as the reverse requests use it: create a pending refund on approval, list an order's. */
export class OrderRefundRepository {
  constructor(private readonly sources: ShardDataSources) {}

  /**
   * A PENDING refund due now, in the approval's transaction. The unique reverse_request_id makes a
   * second refund for the same request impossible, whatever raced to approve it.
   */
  async insertPending(tx: ShardTransaction, refund: ApprovedRefund): Promise<void> {
    await tx.query(
      `INSERT INTO ${tx.route.schema}.refunds (id, order_id, reverse_request_id, amount_cents, currency, bearer,
         reason, status, attempts, next_attempt_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'PENDING', 0, $8, $8, $8)`,
      [
        refund.id,
        refund.orderId,
        refund.reverseRequestId,
        refund.amountCents,
        refund.currency,
        refund.bearer,
        refund.reason,
        refund.at.toISOString(),
      ],
    );
  }

  async listForOrder(route: ShardRoute, orderId: string): Promise<OrderRefund[]> {
    return onShard(route.database, async () => {
      const rows: RefundRow[] = await this.sources.get(route.database).query(
        `SELECT ${refundColumns('r')}
         FROM ${route.schema}.refunds r WHERE order_id = $1 ORDER BY r.created_at, r.id`,
        [orderId],
      );
      return rows.map(refundFromRow);
    });
  }
}
