import { Order } from '../order';
import { OrderKind } from '../order-kind';
import { OrderStatus } from '../order-status';
import { VirtualCart, VirtualOrderLine, VirtualPromotion } from './virtual-catalogue';

/**
 * What a virtual order keeps beside its core row (the extension table): its business line, the
 * lines and promotions it was priced with, and the line's own data, validated against the line's
 * schema of `schemaVersion` when the order was made.
 */
export interface VirtualOrderExtension {
  readonly businessLine: string;
  readonly schemaVersion: number;
  readonly items: readonly VirtualOrderLine[];
  readonly promotions: readonly VirtualPromotion[];
  readonly details: Readonly<Record<string, unknown>>;
}

/** A virtual order: the core aggregate every kind shares, and its extension. */
export interface VirtualOrder {
  readonly order: Order;
  readonly extension: VirtualOrderExtension;
}

export interface NewVirtualOrder {
  readonly id: string;
  readonly userId: string;
  readonly cart: VirtualCart;
  readonly details: Readonly<Record<string, unknown>>;
  readonly schemaVersion: number;
  readonly now: Date;
  readonly paymentWindowMs: number;
}

/**
 * Starts a virtual order at version 1, CREATED and unpaid. Its core row carries no lines, no
 * address and no fees: nothing is packed or delivered. The lines live in the extension.
 */
export function createVirtualOrder(input: NewVirtualOrder): VirtualOrder {
  const { cart, now } = input;
  const order: Order = {
    id: input.id,
    userId: input.userId,
    merchantId: cart.merchantId,
    kind: OrderKind.Virtual,
    status: OrderStatus.Created,
    items: [],
    subtotalCents: cart.subtotalCents,
    packagingFeeCents: 0,
    deliveryFeeCents: 0,
    discountCents: cart.discountCents,
    totalCents: cart.totalCents,
    currency: cart.currency,
    address: null,
    note: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
    paymentDeadline: new Date(now.getTime() + input.paymentWindowMs),
  };
  return {
    order,
    extension: {
      businessLine: cart.businessLine,
      schemaVersion: input.schemaVersion,
      items: cart.lines,
      promotions: cart.promotions,
      details: input.details,
    },
  };
}
