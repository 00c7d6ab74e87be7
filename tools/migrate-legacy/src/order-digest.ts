import { createHash } from 'node:crypto';
import type { DeliveryAddress, OrderLine } from '@eos/domain';

/**
 * The fields of a migrated order that must agree between the legacy store (mapped through the
 * status mapper and the id mapping) and the user shard. Version is not among them: the legacy
 * store has none, and eos counts its own.
 */
export interface ComparableOrder {
  readonly orderId: string;
  readonly userId: string;
  readonly merchantId: string;
  readonly status: string;
  readonly subtotalCents: number;
  readonly packagingFeeCents: number;
  readonly deliveryFeeCents: number;
  readonly discountCents: number;
  readonly totalCents: number;
  readonly currency: string;
  readonly address: DeliveryAddress | null;
  readonly note: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly paidCents: number;
  readonly refundedCents: number;
  readonly items: readonly OrderLine[];
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** The order row's fingerprint (lines apart). Field order is fixed here, so equal orders hash equal. */
export function orderDigest(order: ComparableOrder): string {
  return sha1(
    JSON.stringify([
      order.orderId,
      order.userId,
      order.merchantId,
      order.status,
      order.subtotalCents,
      order.packagingFeeCents,
      order.deliveryFeeCents,
      order.discountCents,
      order.totalCents,
      order.currency,
      order.address ? [order.address.line1, order.address.city, order.address.phone] : null,
      order.note,
      order.createdAt.toISOString(),
      order.updatedAt.toISOString(),
      order.paidCents,
      order.refundedCents,
    ]),
  );
}

/** One fingerprint per line, numbered from 1 in the order's line order. */
export function lineDigests(order: ComparableOrder): string[] {
  return order.items.map((line, index) =>
    sha1(
      JSON.stringify([
        order.orderId,
        index + 1,
        line.itemId,
        line.name,
        line.unitPriceCents,
        line.quantity,
        line.lineTotalCents,
      ]),
    ),
  );
}

/** Order and lines together: what decides whether a copy must be rewritten. */
export function fullDigest(order: ComparableOrder): string {
  return sha1(`${orderDigest(order)}:${lineDigests(order).join(',')}`);
}

const CHECKSUM_MOD = 2n ** 64n;

/**
 * An order-independent checksum of a set of digests: the sum of their first 64 bits, mod 2^64.
 * Unlike XOR, a digest present twice does not cancel itself out.
 */
export function checksum(digests: Iterable<string>): string {
  let sum = 0n;
  for (const digest of digests) sum = (sum + BigInt(`0x${digest.slice(0, 16)}`)) % CHECKSUM_MOD;
  return sum.toString(16).padStart(16, '0');
}
