import type { DeliveryAddress, Order, OrderLine } from '../order';
import { OrderKind } from '../order-kind';
import { OrderStatus } from '../order-status';

/**
 * The statuses of the legacy single-table order system, and where each lands in eos. The legacy
 * system had no READY step, and settled orders through its own books: FINISHED and SETTLED both
 * become COMPLETED. REFUNDED was a cancelled order whose money went back in full.
 *
 * Statuses missing here (the legacy system's DISPUTED, for one, has no eos counterpart: a dispute
 * is a reverse request in eos, not an order status) are not guessed: the order is reported and
 * left out of the migration until an operator decides.
 */
export const LEGACY_STATUS_MAP: Readonly<Record<string, OrderStatus>> = Object.freeze({
  UNPAID: OrderStatus.Created,
  PAID: OrderStatus.Paid,
  CONFIRMED: OrderStatus.Accepted,
  SHIPPING: OrderStatus.Delivering,
  DELIVERED: OrderStatus.Delivered,
  FINISHED: OrderStatus.Completed,
  SETTLED: OrderStatus.Completed,
  CANCELED: OrderStatus.Cancelled,
  REFUNDED: OrderStatus.Cancelled,
});

export function mapLegacyStatus(legacyStatus: string): OrderStatus | undefined {
  return Object.prototype.hasOwnProperty.call(LEGACY_STATUS_MAP, legacyStatus)
    ? LEGACY_STATUS_MAP[legacyStatus]
    : undefined;
}

/** One legacy order with its items, as read from the legacy tables (ids and cents as decimal strings). */
export interface LegacyOrderRecord {
  readonly legacyId: string;
  readonly userId: string;
  readonly merchantId: string;
  readonly status: string;
  readonly subtotalCents: string;
  readonly packagingFeeCents: string;
  readonly deliveryFeeCents: string;
  readonly discountCents: string;
  readonly totalCents: string;
  readonly address: string | null;
  readonly city: string | null;
  readonly phone: string | null;
  readonly remark: string | null;
  readonly paidAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly items: readonly LegacyOrderItemRecord[];
}

export interface LegacyOrderItemRecord {
  readonly itemId: string;
  readonly name: string;
  readonly unitPriceCents: string;
  readonly quantity: number;
}

/**
 * A legacy order in eos terms: the order aggregate without what the migration issues (its new
 * id, kept in the id mapping) or eos keeps itself (version, payment deadline), with a delivery
 * address always, plus the money already settled in the legacy books.
 */
export interface MigratedOrder extends Omit<Order, 'id' | 'version' | 'paymentDeadline' | 'address'> {
  readonly legacyId: string;
  readonly address: DeliveryAddress;
  /** Money the customer paid (the reverse flow refunds at most this); 0 for an unpaid order. */
  readonly paidCents: number;
  /** Money already returned (a REFUNDED legacy order returned all of it). */
  readonly refundedCents: number;
}

export type LegacyOrderMapping =
  | { readonly ok: true; readonly order: MigratedOrder }
  | { readonly ok: false; readonly legacyId: string; readonly reason: string };

const MAX_NOTE = 200;
const LEGACY_CURRENCY = 'CNY';

class Unplaceable extends Error {}

function cents(text: string, what: string): number {
  const value = Number(text);
  if (!/^(0|[1-9][0-9]*)$/.test(text) || !Number.isSafeInteger(value)) {
    throw new Unplaceable(`${what} ${text} is not a non-negative whole number of cents`);
  }
  return value;
}

function required(text: string | null, what: string): string {
  const trimmed = text?.trim() ?? '';
  if (trimmed === '') throw new Unplaceable(`${what} is missing (a delivery order needs it)`);
  return trimmed;
}

function line(item: LegacyOrderItemRecord, index: number): OrderLine {
  if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > 99) {
    throw new Unplaceable(`item ${index + 1} has quantity ${item.quantity}, outside 1..99`);
  }
  const unitPriceCents = cents(item.unitPriceCents, `item ${index + 1} unit price`);
  return {
    itemId: item.itemId,
    name: item.name,
    unitPriceCents,
    quantity: item.quantity,
    lineTotalCents: unitPriceCents * item.quantity,
  };
}

/**
 * Places one legacy order in eos, or says why it cannot: an unknown status, an amount or quantity
 * eos refuses, a missing address. Never throws for bad data; the caller reports what it cannot
 * place instead of dropping it.
 */
export function mapLegacyOrder(record: LegacyOrderRecord): LegacyOrderMapping {
  try {
    const status = mapLegacyStatus(record.status);
    if (status === undefined) throw new Unplaceable(`legacy status "${record.status}" has no eos status`);
    if (record.items.length === 0) throw new Unplaceable('the order has no items');
    const items = record.items.map(line);
    const totalCents = cents(record.totalCents, 'total');
    const paid = record.paidAt !== null && status !== OrderStatus.Created;
    const paidCents = paid ? totalCents : 0;
    const note = record.remark === null || record.remark === '' ? null : record.remark;
    if (note !== null && note.length > MAX_NOTE) {
      throw new Unplaceable(`remark of ${note.length} characters exceeds ${MAX_NOTE}`);
    }
    const order: MigratedOrder = {
      legacyId: record.legacyId,
      userId: record.userId,
      merchantId: record.merchantId,
      kind: OrderKind.Delivery,
      status,
      items,
      subtotalCents: cents(record.subtotalCents, 'subtotal'),
      packagingFeeCents: cents(record.packagingFeeCents, 'packaging fee'),
      deliveryFeeCents: cents(record.deliveryFeeCents, 'delivery fee'),
      discountCents: cents(record.discountCents, 'discount'),
      totalCents,
      currency: LEGACY_CURRENCY,
      address: {
        line1: required(record.address, 'address'),
        city: required(record.city, 'city'),
        phone: required(record.phone, 'phone'),
      },
      note,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      paidCents,
      refundedCents: record.status === 'REFUNDED' ? paidCents : 0,
    };
    return { ok: true, order };
  } catch (error) {
    if (error instanceof Unplaceable) return { ok: false, legacyId: record.legacyId, reason: error.message };
    throw error;
  }
}
