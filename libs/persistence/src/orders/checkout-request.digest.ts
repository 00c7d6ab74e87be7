import { createHash } from 'node:crypto';

/** What a checkout asks for: the fields whose equality makes a retry "the same request". */
export interface CheckoutRequestShape {
  readonly merchantId: string;
  readonly items: readonly { readonly itemId: string; readonly quantity: number }[];
  readonly address: { readonly line1: string; readonly city: string; readonly phone: string };
  readonly note?: string | null;
}

/**
 * The `request_hash` stored beside an idempotency key: a digest of what the request asks for,
 * independent of JSON key order and whitespace. The app and the benchmark's ceiling both use it.
 */
export function checkoutRequestDigest(request: CheckoutRequestShape): string {
  const canonical = JSON.stringify([
    request.merchantId,
    request.items.map((line) => [line.itemId, line.quantity]),
    [request.address.line1, request.address.city, request.address.phone],
    request.note ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
