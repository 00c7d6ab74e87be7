import fc from 'fast-check';
import { DomainError, DomainErrorCode } from '../domain.error';
import { MAX_QUANTITY } from '../pricing';
import { VirtualCatalogue, membershipDaysOf, priceVirtualCart } from './virtual-catalogue';

const BREAKFAST: VirtualCatalogue = {
  businessLine: 'breakfast',
  currency: 'CNY',
  products: [
    { sku: 'set-a', name: 'Soy milk and fritters', unitPriceCents: 650 },
    { sku: 'set-b', name: 'Congee and buns', unitPriceCents: 800 },
  ],
};

const MEMBERSHIP: VirtualCatalogue = {
  businessLine: 'membership',
  currency: 'CNY',
  products: [
    { sku: 'monthly', name: 'Monthly card', unitPriceCents: 1500, periodDays: 30 },
    { sku: 'quarterly', name: 'Quarterly card', unitPriceCents: 4000, periodDays: 90 },
  ],
  spendAndSave: { thresholdCents: 5000, discountCents: 500 },
};

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error: unknown) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

describe('priceVirtualCart', () => {
  it('prices from the catalogue alone, with no fees', () => {
    expect(
      priceVirtualCart(BREAKFAST, '7', [
        { sku: 'set-a', quantity: 2 },
        { sku: 'set-b', quantity: 1 },
      ]),
    ).toEqual({
      businessLine: 'breakfast',
      merchantId: '7',
      lines: [
        {
          sku: 'set-a',
          name: 'Soy milk and fritters',
          unitPriceCents: 650,
          quantity: 2,
          lineTotalCents: 1300,
        },
        { sku: 'set-b', name: 'Congee and buns', unitPriceCents: 800, quantity: 1, lineTotalCents: 800 },
      ],
      promotions: [],
      subtotalCents: 2100,
      discountCents: 0,
      totalCents: 2100,
      currency: 'CNY',
    });
  });

  it("applies the line's spend-and-save promotion from its threshold on, and records it", () => {
    const below = priceVirtualCart(MEMBERSHIP, '7', [{ sku: 'monthly', quantity: 3 }]);
    expect([below.subtotalCents, below.discountCents, below.promotions]).toEqual([4500, 0, []]);
    const above = priceVirtualCart(MEMBERSHIP, '7', [{ sku: 'quarterly', quantity: 2 }]);
    expect([above.subtotalCents, above.discountCents, above.totalCents]).toEqual([8000, 500, 7500]);
    expect(above.promotions).toEqual([{ kind: 'SPEND_AND_SAVE', discountCents: 500 }]);
    expect(above.lines[0].periodDays).toBe(90);
  });

  it.each([
    ['an empty cart', [], DomainErrorCode.CartEmpty],
    ['an unknown product', [{ sku: 'set-z', quantity: 1 }], DomainErrorCode.ItemNotFound],
    [
      'a product twice',
      [
        { sku: 'set-a', quantity: 1 },
        { sku: 'set-a', quantity: 2 },
      ],
      DomainErrorCode.DuplicateItem,
    ],
    ['a quantity of 0', [{ sku: 'set-a', quantity: 0 }], DomainErrorCode.QuantityOutOfRange],
    ['a quantity of 100', [{ sku: 'set-a', quantity: 100 }], DomainErrorCode.QuantityOutOfRange],
    ['a fractional quantity', [{ sku: 'set-a', quantity: 1.5 }], DomainErrorCode.QuantityOutOfRange],
  ])('refuses %s', (_name, cart, code) => {
    expect(refusal(() => priceVirtualCart(BREAKFAST, '7', cart)).code).toBe(code);
  });

  it('never lets the total go below zero nor differ from subtotal minus discount', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom('monthly', 'quarterly'), { minLength: 1, maxLength: 2 }),
        fc.array(fc.integer({ min: 1, max: MAX_QUANTITY }), { minLength: 2, maxLength: 2 }),
        (skus, quantities) => {
          const cart = priceVirtualCart(
            MEMBERSHIP,
            '7',
            skus.map((sku, index) => ({ sku, quantity: quantities[index] })),
          );
          expect(cart.totalCents).toBe(cart.subtotalCents - cart.discountCents);
          expect(cart.totalCents).toBeGreaterThanOrEqual(0);
          expect(cart.subtotalCents).toBe(cart.lines.reduce((sum, line) => sum + line.lineTotalCents, 0));
          expect(membershipDaysOf(cart.lines)).toBe(
            cart.lines.reduce((days, line) => days + (line.periodDays ?? 0) * line.quantity, 0),
          );
        },
      ),
    );
  });
});
