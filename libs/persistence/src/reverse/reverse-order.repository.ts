import { DomainError, DomainErrorCode, RefundBearer } from '@eos/domain';
import {
  TransitionSubject,
  TransitionSubjectRow,
  transitionSubjectFromRow,
} from '../orders/order-transition.repository';
import { TransitionWrite, transitionStatement } from '../orders/order-transition.sql';
import { orderSelect } from '../orders/order.row';
import { ShardTransaction } from './shard-transaction';

/** An order line as a refund prices it: what it cost and how many units were already refunded. */
export interface RefundableOrderLine {
  readonly lineNo: number;
  readonly itemId: string;
  readonly quantity: number;
  readonly lineTotalCents: number;
  readonly refundedQuantity: number;
}

/** An order locked for a reverse step, with the money facts stored beside it. */
export interface ReverseOrderSubject extends TransitionSubject {
  /** Every successful payment the order received (a trigger on payment_notifications keeps it). */
  readonly paidCents: number;
  /** Money promised back: reserved by refund requests and by refunds of forward cancellations. */
  readonly refundedCents: number;
  readonly lines: readonly RefundableOrderLine[];
}

/** A change of the order's reverse totals, all deltas; negative releases. */
export interface ReverseTotalsChange {
  readonly refundedCents: number;
  readonly openRequests: number;
  readonly lines: readonly { readonly lineNo: number; readonly quantity: number }[];
}

type ReverseOrderRow = TransitionSubjectRow & {
  paid_cents: string;
  refunded_cents: string;
  refund_lines: RefundableOrderLine[];
};

const CHECK_VIOLATION = '23514';

/**
 * The order side of reverse steps, inside the caller's transaction on the order's user shard:
 * lock the order (always first, before any request row), move its reverse totals, and run a
 * forward transition with the same statement OrderTransitions uses (row, history, outbox, refund
 * marker), so that an order's status change and the request that caused it commit together.
 */
export class ReverseOrderRepository {
  /** The order locked for the rest of the transaction, or null if it is not on this shard. */
  async lock(tx: ShardTransaction, orderId: string): Promise<ReverseOrderSubject | null> {
    const { schema } = tx.route;
    const extra = `, o.open_reverse_requests, o.paid_cents, o.refunded_cents,
  COALESCE((SELECT json_agg(json_build_object('lineNo', i.line_no, 'itemId', i.item_id::text, 'quantity', i.quantity,
      'lineTotalCents', i.line_total_cents, 'refundedQuantity', i.refunded_quantity) ORDER BY i.line_no)
    FROM ${schema}.order_items i WHERE i.order_id = o.id), '[]'::json) AS refund_lines`;
    // Lock first, read after, in two statements. One `SELECT ... FOR UPDATE` would re-read the
    // order row once the lock is granted but evaluate the order_items subquery on the snapshot it
    // took before waiting: a request queued behind another would price its units on refunded
    // quantities the other had already raised.
    const locked = await tx.query<{ id: string }>(
      `SELECT o.id::text AS id FROM ${schema}.orders o WHERE o.id = $1 FOR UPDATE`,
      [orderId],
    );
    if (locked.length === 0) return null;
    const rows = await tx.query<ReverseOrderRow>(`${orderSelect(schema, extra)} WHERE o.id = $1`, [orderId]);
    const row = rows[0];
    if (!row) return null;
    return {
      ...transitionSubjectFromRow(row),
      paidCents: Number(row.paid_cents),
      refundedCents: Number(row.refunded_cents),
      lines: row.refund_lines.map((line) => ({
        lineNo: Number(line.lineNo),
        itemId: String(line.itemId),
        quantity: Number(line.quantity),
        lineTotalCents: Number(line.lineTotalCents),
        refundedQuantity: Number(line.refundedQuantity),
      })),
    };
  }

  /**
   * Reserves (positive) or releases (negative) money and units of the order, and counts its open
   * requests. The CHECKs of the reverse-flow migration are the last guard: refunding more than was
   * paid, or more units than were bought, is REFUND_EXCEEDS_PAID whatever the code above decided.
   */
  async changeTotals(tx: ShardTransaction, orderId: string, change: ReverseTotalsChange): Promise<void> {
    const { schema } = tx.route;
    try {
      const rows = await tx.query<{ id: string }>(
        `WITH lines AS (
           UPDATE ${schema}.order_items i SET refunded_quantity = i.refunded_quantity + l.quantity
           FROM jsonb_to_recordset($4::jsonb) AS l(line_no smallint, quantity integer)
           WHERE i.order_id = $1 AND i.line_no = l.line_no AND l.quantity <> 0
           RETURNING i.line_no
         )
         UPDATE ${schema}.orders o SET refunded_cents = o.refunded_cents + $2,
           open_reverse_requests = o.open_reverse_requests + $3
         WHERE o.id = $1
         RETURNING o.id::text AS id`,
        [
          orderId,
          change.refundedCents,
          change.openRequests,
          JSON.stringify(change.lines.map((line) => ({ line_no: line.lineNo, quantity: line.quantity }))),
        ],
      );
      if (rows.length !== 1) throw new Error(`order ${orderId} vanished under its lock`);
    } catch (error) {
      if ((error as { code?: unknown }).code === CHECK_VIOLATION) {
        throw new DomainError(
          DomainErrorCode.RefundExceedsPaid,
          `a refund of order ${orderId} would return more than was paid for it`,
        );
      }
      throw error;
    }
  }

  /** Runs a decided forward transition in this transaction; the ids of the orders it moved. */
  async applyTransition(tx: ShardTransaction, write: TransitionWrite): Promise<string[]> {
    if (write.moves.length === 0) return [];
    const statement = transitionStatement(tx.route.schema, write);
    const rows = await tx.query<{ moved: string[] }>(statement.text, statement.params);
    return rows[0].moved;
  }

  /**
   * Names who bears the refund a cancellation just marked due (its refunds_due row, written by the
   * transition in this transaction); the refund intake uses it instead of its reason's default.
   */
  async setDueRefundBearer(
    tx: ShardTransaction,
    orderId: string,
    reason: string,
    bearer: RefundBearer,
  ): Promise<void> {
    await tx.query(
      `UPDATE ${tx.route.schema}.refunds_due SET bearer = $3
       WHERE order_id = $1 AND reason = $2 AND refunded_at IS NULL AND bearer IS NULL`,
      [orderId, reason, bearer],
    );
  }
}
