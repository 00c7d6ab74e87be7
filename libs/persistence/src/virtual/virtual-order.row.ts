import {
  MembershipPeriod,
  VirtualOrderExtension,
  VirtualOrderLine,
  VirtualPromotion,
  Voucher,
  VoucherStatus,
} from '@eos/domain';

/** A virtual order's extension as stored, with the goods its fulfilment issued, if any. */
export interface VirtualExtensionRecord {
  readonly orderId: string;
  readonly extension: VirtualOrderExtension;
  /** What the line's handler returned when it fulfilled the order; null until then. */
  readonly fulfilment: Readonly<Record<string, unknown>> | null;
  readonly fulfilledAt: Date | null;
  readonly voucher: Pick<Voucher, 'code' | 'status' | 'redeemedAt'> | null;
  readonly membershipPeriod: Pick<MembershipPeriod, 'plan' | 'startsAt' | 'endsAt' | 'cancelledAt'> | null;
}

/** The extension columns, aliased so they can ride along an order select (`d` is the extension row). */
export const VIRTUAL_EXTENSION_COLUMNS = `d.business_line AS virtual_business_line,
  d.schema_version AS virtual_schema_version, d.items AS virtual_items, d.promotions AS virtual_promotions,
  d.details AS virtual_details`;

export interface VirtualExtensionColumns {
  virtual_business_line: string;
  virtual_schema_version: number;
  virtual_items: VirtualOrderLine[];
  virtual_promotions: VirtualPromotion[];
  virtual_details: Record<string, unknown>;
}

export function virtualExtensionFromColumns(row: VirtualExtensionColumns): VirtualOrderExtension {
  return {
    businessLine: row.virtual_business_line,
    schemaVersion: row.virtual_schema_version,
    items: row.virtual_items,
    promotions: row.virtual_promotions,
    details: row.virtual_details,
  };
}

export type VirtualExtensionRow = VirtualExtensionColumns & {
  order_id: string;
  fulfilment: Record<string, unknown> | null;
  fulfilled_at: Date | null;
  voucher_code: string | null;
  voucher_status: string | null;
  voucher_redeemed_at: Date | null;
  period_plan: string | null;
  period_starts_at: Date | null;
  period_ends_at: Date | null;
  period_cancelled_at: Date | null;
};

/** Extension rows of the given orders of one shard, with their voucher or period; `$1` is the id array. */
export function virtualExtensionSelect(schema: string): string {
  return `SELECT d.order_id::text AS order_id, ${VIRTUAL_EXTENSION_COLUMNS}, d.fulfilment, d.fulfilled_at,
  v.code AS voucher_code, v.status AS voucher_status, v.redeemed_at AS voucher_redeemed_at,
  p.plan AS period_plan, p.starts_at AS period_starts_at, p.ends_at AS period_ends_at,
  p.cancelled_at AS period_cancelled_at
FROM ${schema}.virtual_order_details d
LEFT JOIN ${schema}.vouchers v ON v.order_id = d.order_id
LEFT JOIN ${schema}.membership_periods p ON p.order_id = d.order_id
WHERE d.order_id = ANY($1::bigint[])`;
}

export function virtualExtensionFromRow(row: VirtualExtensionRow): VirtualExtensionRecord {
  return {
    orderId: row.order_id,
    extension: virtualExtensionFromColumns(row),
    fulfilment: row.fulfilment,
    fulfilledAt: row.fulfilled_at,
    voucher:
      row.voucher_code === null
        ? null
        : {
            code: row.voucher_code,
            status: row.voucher_status as VoucherStatus,
            redeemedAt: row.voucher_redeemed_at,
          },
    membershipPeriod:
      row.period_plan === null || row.period_starts_at === null || row.period_ends_at === null
        ? null
        : {
            plan: row.period_plan,
            startsAt: row.period_starts_at,
            endsAt: row.period_ends_at,
            cancelledAt: row.period_cancelled_at,
          },
  };
}
