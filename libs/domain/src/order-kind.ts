/**
 * What sort of order an order is. A kind has its own forward life (its transition table) and its
 * own event routing keys; the core order row is the same for every kind. In a file of its own so
 * that the state machine and the aggregate can both import it without importing each other.
 */
export const OrderKind = { Delivery: 'DELIVERY', Virtual: 'VIRTUAL' } as const;
export type OrderKind = (typeof OrderKind)[keyof typeof OrderKind];

export const ORDER_KINDS: readonly OrderKind[] = Object.values(OrderKind);

export function isOrderKind(value: unknown): value is OrderKind {
  return typeof value === 'string' && (ORDER_KINDS as readonly string[]).includes(value);
}
