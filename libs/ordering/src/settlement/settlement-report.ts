import { MerchantCompletedTotals, SettlementRepository } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import { SettlementDay } from './settlement-day';

/**
 * One settlement line: a merchant's orders completed that day, in one currency. Cents exact as
 * bigint. What the platform owes the merchant is `payableCents`: the orders' total less the
 * refunds of those orders that the merchant bears.
 */
export interface SettlementLine {
  readonly merchantId: string;
  readonly currency: string;
  readonly orders: number;
  readonly subtotalCents: bigint;
  readonly packagingFeeCents: bigint;
  readonly deliveryFeeCents: bigint;
  readonly discountCents: bigint;
  readonly totalCents: bigint;
  readonly merchantRefundCents: bigint;
  readonly payableCents: bigint;
}

// New columns go at the end: readers of the earlier columns keep working.
export const SETTLEMENT_CSV_HEADER =
  'merchant_id,orders,subtotal_cents,packaging_fee_cents,delivery_fee_cents,discount_cents,total_cents,currency,' +
  'merchant_refund_cents,payable_cents';

/**
 * The day's settlement, read from the user shards (the source of truth). Every logical shard is
 * read exactly once, on the database the shard map assigns it to, and an order lives on exactly
 * one shard and completes once, so no order is ever counted twice; a copy of a schema left behind
 * on another database after a move is never read.
 */
export class SettlementReport {
  constructor(
    private readonly repository: SettlementRepository,
    private readonly router: ShardRouter,
  ) {}

  async lines(day: SettlementDay): Promise<SettlementLine[]> {
    const byDatabase = this.router.userRoutesByDatabase();
    const parts = await Promise.all(
      [...byDatabase].map(([database, routes]) =>
        this.repository.completedTotals(database, routes, day.start, day.end),
      ),
    );
    return mergeTotals(parts.flat());
  }
}

/** Adds up the per-database totals of each merchant and currency; sorted by merchant id, then currency. */
export function mergeTotals(totals: readonly MerchantCompletedTotals[]): SettlementLine[] {
  const merged = new Map<string, SettlementLine>();
  for (const part of totals) {
    const key = `${part.merchantId}|${part.currency}`;
    const sum = merged.get(key);
    const totalCents = (sum?.totalCents ?? 0n) + BigInt(part.totalCents);
    const merchantRefundCents = (sum?.merchantRefundCents ?? 0n) + BigInt(part.merchantRefundCents);
    merged.set(key, {
      merchantId: part.merchantId,
      currency: part.currency,
      orders: (sum?.orders ?? 0) + part.orders,
      subtotalCents: (sum?.subtotalCents ?? 0n) + BigInt(part.subtotalCents),
      packagingFeeCents: (sum?.packagingFeeCents ?? 0n) + BigInt(part.packagingFeeCents),
      deliveryFeeCents: (sum?.deliveryFeeCents ?? 0n) + BigInt(part.deliveryFeeCents),
      discountCents: (sum?.discountCents ?? 0n) + BigInt(part.discountCents),
      totalCents,
      merchantRefundCents,
      payableCents: totalCents - merchantRefundCents,
    });
  }
  return [...merged.values()].sort((a, b) => {
    const byMerchant = BigInt(a.merchantId) - BigInt(b.merchantId);
    if (byMerchant !== 0n) return byMerchant < 0n ? -1 : 1;
    return a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0;
  });
}

/** The CSV text of a settlement: the header, then one line per merchant and currency. */
export function settlementCsv(lines: readonly SettlementLine[]): string {
  const rows = lines.map((line) =>
    [
      line.merchantId,
      line.orders,
      line.subtotalCents,
      line.packagingFeeCents,
      line.deliveryFeeCents,
      line.discountCents,
      line.totalCents,
      // Currencies are ISO codes from the catalog; quoted anyway if one ever held a comma or quote.
      /[",\n]/.test(line.currency) ? `"${line.currency.replace(/"/g, '""')}"` : line.currency,
      line.merchantRefundCents,
      line.payableCents,
    ].join(','),
  );
  return `${[SETTLEMENT_CSV_HEADER, ...rows].join('\n')}\n`;
}
