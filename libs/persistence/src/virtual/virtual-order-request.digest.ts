import { createHash } from 'node:crypto';

/** What a virtual order request asks for: the fields whose equality makes a retry "the same request". */
export interface VirtualOrderRequestShape {
  readonly businessLine: string;
  readonly merchantId: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number }[];
  readonly details?: Readonly<Record<string, unknown>> | null;
}

/** JSON with object keys sorted at every depth, so `{a,b}` and `{b,a}` digest alike. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * The `request_hash` stored beside the idempotency key of a virtual order. Tagged with the kind:
 * virtual and delivery orders share the user's idempotency keys, and a key used for one kind
 * never matches a request of the other (IDEMPOTENCY_KEY_REUSED).
 */
export function virtualOrderRequestDigest(request: VirtualOrderRequestShape): string {
  const text = JSON.stringify([
    'VIRTUAL',
    request.businessLine,
    request.merchantId,
    request.items.map((line) => [line.sku, line.quantity]),
    canonical(request.details ?? {}),
  ]);
  return createHash('sha256').update(text).digest('hex');
}
