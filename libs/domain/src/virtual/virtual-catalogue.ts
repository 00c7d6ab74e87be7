import { DomainError, DomainErrorCode } from '../domain.error';
import { SpendAndSaveRule } from '../menu';
import { assertCents, sumCents } from '../money';
import { MAX_CART_LINES, MAX_QUANTITY } from '../pricing';

/** One thing a virtual business line sells, priced by configuration, never by the client. */
export interface VirtualProduct {
  /** Stable product code, unique within its line: `breakfast-set-a`, `membership-monthly`. */
  readonly sku: string;
  readonly name: string;
  readonly unitPriceCents: number;
  /** Membership lines: the days one unit adds to the member's period. */
  readonly periodDays?: number;
}

/** The products of one business line and the promotion it runs, as configured. */
export interface VirtualCatalogue {
  readonly businessLine: string;
  readonly currency: string;
  readonly products: readonly VirtualProduct[];
  readonly spendAndSave?: SpendAndSaveRule;
}

export interface VirtualCartLine {
  readonly sku: string;
  readonly quantity: number;
}

export interface VirtualOrderLine {
  readonly sku: string;
  readonly name: string;
  readonly unitPriceCents: number;
  readonly quantity: number;
  readonly lineTotalCents: number;
  readonly periodDays?: number;
}

export interface VirtualPromotion {
  readonly kind: 'SPEND_AND_SAVE';
  readonly discountCents: number;
}

export interface VirtualCart {
  readonly businessLine: string;
  readonly merchantId: string;
  readonly lines: readonly VirtualOrderLine[];
  readonly promotions: readonly VirtualPromotion[];
  readonly subtotalCents: number;
  readonly discountCents: number;
  readonly totalCents: number;
  readonly currency: string;
}

/**
 * Prices a virtual cart from its line's catalogue alone. The same refusals, with the same codes,
 * as a delivery cart: empty, too many lines, a repeated product, a quantity out of range, a
 * product the line does not sell.
 */
export function priceVirtualCart(
  catalogue: VirtualCatalogue,
  merchantId: string,
  cart: readonly VirtualCartLine[],
): VirtualCart {
  if (cart.length === 0) throw new DomainError(DomainErrorCode.CartEmpty, 'the cart has no items');
  if (cart.length > MAX_CART_LINES) {
    throw new DomainError(
      DomainErrorCode.ValidationFailed,
      `a cart holds at most ${MAX_CART_LINES} distinct items`,
    );
  }
  const bySku = new Map(catalogue.products.map((product) => [product.sku, product]));
  const seen = new Set<string>();
  const lines: VirtualOrderLine[] = [];
  for (const { sku, quantity } of cart) {
    if (seen.has(sku)) {
      throw new DomainError(DomainErrorCode.DuplicateItem, `item ${sku} appears twice; use its quantity`, {
        sku,
      });
    }
    seen.add(sku);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
      throw new DomainError(
        DomainErrorCode.QuantityOutOfRange,
        `quantity of item ${sku} must be an integer from 1 to ${MAX_QUANTITY}`,
        { sku },
      );
    }
    const product = bySku.get(sku);
    if (!product) {
      throw new DomainError(DomainErrorCode.ItemNotFound, `${catalogue.businessLine} sells no item ${sku}`, {
        sku,
        businessLine: catalogue.businessLine,
      });
    }
    const lineTotalCents = assertCents(product.unitPriceCents * quantity, `line total of ${sku}`);
    lines.push({
      sku,
      name: product.name,
      unitPriceCents: product.unitPriceCents,
      quantity,
      lineTotalCents,
      ...(product.periodDays === undefined ? {} : { periodDays: product.periodDays }),
    });
  }
  const subtotalCents = sumCents(lines.map((line) => line.lineTotalCents));
  const rule = catalogue.spendAndSave;
  const discountCents =
    rule && subtotalCents >= rule.thresholdCents ? Math.min(rule.discountCents, subtotalCents) : 0;
  return {
    businessLine: catalogue.businessLine,
    merchantId,
    lines,
    promotions: discountCents > 0 ? [{ kind: 'SPEND_AND_SAVE', discountCents }] : [],
    subtotalCents,
    discountCents,
    totalCents: subtotalCents - discountCents,
    currency: catalogue.currency,
  };
}

/** Days of membership a cart buys: each unit of each product adds its period. */
export function membershipDaysOf(lines: readonly VirtualOrderLine[]): number {
  return lines.reduce((days, line) => days + (line.periodDays ?? 0) * line.quantity, 0);
}
