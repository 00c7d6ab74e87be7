import { Voucher, VoucherStatus } from '@eos/domain';
import type { ShardTransaction } from '../reverse/shard-transaction';

interface VoucherRow {
  code: string;
  order_id: string;
  user_id: string;
  business_line: string;
  status: string;
  issued_at: Date;
  redeemed_at: Date | null;
}

const COLUMNS = `code, order_id::text AS order_id, user_id::text AS user_id, business_line, status, issued_at,
  redeemed_at`;

function voucherFromRow(row: VoucherRow): Voucher {
  return {
    code: row.code,
    orderId: row.order_id,
    userId: row.user_id,
    businessLine: row.business_line,
    status: row.status as VoucherStatus,
    issuedAt: row.issued_at,
    redeemedAt: row.redeemed_at,
  };
}

/** Vouchers on the user shard of their order; every call joins the caller's transaction. */
export class VoucherRepository {
  async issue(tx: ShardTransaction, voucher: Voucher): Promise<void> {
    await tx.query(
      `INSERT INTO ${tx.route.schema}.vouchers (code, order_id, user_id, business_line, status, issued_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [voucher.code, voucher.orderId, voucher.userId, voucher.businessLine, voucher.status, voucher.issuedAt],
    );
  }

  /** The caller's voucher of that code, locked until the transaction ends; another's is none. */
  async lockForUser(tx: ShardTransaction, code: string, userId: string): Promise<Voucher | null> {
    const rows = await tx.query<VoucherRow>(
      `SELECT ${COLUMNS} FROM ${tx.route.schema}.vouchers WHERE code = $1 AND user_id = $2 FOR UPDATE`,
      [code, userId],
    );
    return rows[0] ? voucherFromRow(rows[0]) : null;
  }

  /** The order's voucher, if its line issues one; locked when the caller will change it (a refund voids it). */
  async findByOrder(tx: ShardTransaction, orderId: string, lock: boolean): Promise<Voucher | null> {
    const rows = await tx.query<VoucherRow>(
      `SELECT ${COLUMNS} FROM ${tx.route.schema}.vouchers WHERE order_id = $1${lock ? ' FOR UPDATE' : ''}`,
      [orderId],
    );
    return rows[0] ? voucherFromRow(rows[0]) : null;
  }

  /**
   * Voids an issued voucher (its order was refunded): it can never be redeemed afterwards. The row
   * was locked by findByOrder in this transaction; the status guard makes a second void a no-op.
   */
  async void(tx: ShardTransaction, code: string, at: Date): Promise<void> {
    const rows = await tx.query<{ code: string }>(
      `UPDATE ${tx.route.schema}.vouchers SET status = 'VOIDED', voided_at = $2
        WHERE code = $1 AND status = 'ISSUED' RETURNING code`,
      [code, at.toISOString()],
    );
    if (rows.length !== 1) throw new Error(`voucher ${code} was not ISSUED under its lock`);
  }

  /** Stores a redemption the domain decided on; the row was locked by lockForUser. */
  async saveRedemption(tx: ShardTransaction, voucher: Voucher): Promise<void> {
    await tx.query(`UPDATE ${tx.route.schema}.vouchers SET status = $2, redeemed_at = $3 WHERE code = $1`, [
      voucher.code,
      voucher.status,
      voucher.redeemedAt,
    ]);
  }
}
