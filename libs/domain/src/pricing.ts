import { DomainError, DomainErrorCode } from './domain.error';
import { Menu, MenuItem, isOpenAt } from './menu';
import { assertCents, sumCents } from './money';

export const MAX_CART_LINES = 50;
export const MAX_QUANTITY = 99;

export interface CartLine {
  readonly itemId: string;
  readonly quantity: number;
}

export interface PricedLine {
  readonly itemId: string;
  readonly name: string;
  readonly unitPriceCents: number;
  readonly quantity: number;
  readonly lineTotalCents: number;
  readonly packagingFeeCents: number;
}

export interface PricedCart {
  readonly merchantId: string;
  readonly lines: readonly PricedLine[];
  readonly subtotalCents: number;
  readonly packagingFeeCents: number;
  readonly deliveryFeeCents: number;
  readonly discountCents: number;
  readonly totalCents: number;
  readonly currency: string;
}

/**
 * Prices a cart from the catalog alone: the client's idea of prices is never consulted.
 * Refuses what a merchant cannot sell right now, with a stable code per reason.
 */
export function priceCart(menu: Menu, cart: readonly CartLine[], now: Date): PricedCart {
  if (cart.length === 0) throw new DomainError(DomainErrorCode.CartEmpty, 'the cart has no items');
  if (cart.length > MAX_CART_LINES) {
    throw new DomainError(
      DomainErrorCode.ValidationFailed,
      `a cart holds at most ${MAX_CART_LINES} distinct items`,
    );
  }
  const { merchant } = menu;
  if (!isOpenAt(merchant, now)) {
    throw new DomainError(DomainErrorCode.MerchantClosed, `merchant ${merchant.id} is closed now`, {
      merchantId: merchant.id,
    });
  }
  const byId = new Map<string, MenuItem>();
  for (const item of menu.items) byId.set(item.id, item);

  const seen = new Set<string>();
  const lines: PricedLine[] = [];
  for (const { itemId, quantity } of cart) {
    if (seen.has(itemId)) {
      throw new DomainError(DomainErrorCode.DuplicateItem, `item ${itemId} appears twice; use its quantity`, {
        itemId,
      });
    }
    seen.add(itemId);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
      throw new DomainError(
        DomainErrorCode.QuantityOutOfRange,
        `quantity of item ${itemId} must be an integer from 1 to ${MAX_QUANTITY}`,
        { itemId },
      );
    }
    const item = byId.get(itemId);
    if (!item) {
      throw new DomainError(
        DomainErrorCode.ItemNotFound,
        `item ${itemId} is not on the menu of merchant ${merchant.id}`,
        {
          itemId,
        },
      );
    }
    if (!item.available) {
      throw new DomainError(DomainErrorCode.ItemUnavailable, `item ${itemId} is not available now`, {
        itemId,
      });
    }
    // The catalog's amounts are checked too: a bad row must refuse the order, never price it wrongly.
    const unitPriceCents = assertCents(item.priceCents, `price of item ${itemId}`);
    const unitPackagingCents = assertCents(item.packagingFeeCents, `packaging fee of item ${itemId}`);
    lines.push({
      itemId,
      name: item.name,
      unitPriceCents,
      quantity,
      lineTotalCents: assertCents(unitPriceCents * quantity, `total of item ${itemId}`),
      packagingFeeCents: assertCents(unitPackagingCents * quantity, `packaging fee of item ${itemId}`),
    });
  }

  const subtotalCents = sumCents(lines.map((line) => line.lineTotalCents));
  const packagingFeeCents = sumCents(lines.map((line) => line.packagingFeeCents));
  const deliveryFeeCents = assertCents(merchant.deliveryFeeCents, `delivery fee of merchant ${merchant.id}`);
  const rule = merchant.discountRule;
  let discountCents = 0;
  if (rule) {
    const thresholdCents = assertCents(rule.thresholdCents, `discount threshold of merchant ${merchant.id}`);
    const ruleDiscountCents = assertCents(rule.discountCents, `discount of merchant ${merchant.id}`);
    // The discount never exceeds the subtotal, so a total can never go negative.
    if (subtotalCents >= thresholdCents) discountCents = Math.min(ruleDiscountCents, subtotalCents);
  }
  return {
    merchantId: merchant.id,
    lines,
    subtotalCents,
    packagingFeeCents,
    deliveryFeeCents,
    discountCents,
    totalCents: sumCents([subtotalCents, packagingFeeCents, deliveryFeeCents]) - discountCents,
    currency: merchant.currency,
  };
}
