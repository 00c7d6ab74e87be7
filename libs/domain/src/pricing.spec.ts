import fc from 'fast-check';
import { DomainError, DomainErrorCode } from './domain.error';
import { Menu, MenuItem, Merchant, SpendAndSaveRule } from './menu';
import { CartLine, MAX_CART_LINES, MAX_QUANTITY, PricedCart, priceCart } from './pricing';

const NOON = new Date('2024-05-01T12:00:00.000Z');

function merchant(overrides: Partial<Merchant> = {}): Merchant {
  return {
    id: 'm-1',
    name: 'Noodle House',
    opensAtMinute: 0,
    closesAtMinute: 24 * 60,
    deliveryFeeCents: 500,
    discountRule: null,
    currency: 'CNY',
    ...overrides,
  };
}

function item(id: string, overrides: Partial<MenuItem> = {}): MenuItem {
  return { id, name: `dish ${id}`, priceCents: 1000, packagingFeeCents: 0, available: true, ...overrides };
}

function menu(items: readonly MenuItem[], merchantOverrides: Partial<Merchant> = {}): Menu {
  return { merchant: merchant(merchantOverrides), items, version: 7 };
}

const noodles = item('1', { name: 'Beef noodles', priceCents: 1200, packagingFeeCents: 100 });
const dumplings = item('2', { name: 'Dumplings', priceCents: 800, packagingFeeCents: 50 });
const tea = item('3', { name: 'Tea', priceCents: 300, packagingFeeCents: 0 });
const soldOut = item('4', { name: 'Hotpot', priceCents: 5000, available: false });
const standardMenu = menu([noodles, dumplings, tea, soldOut]);

/** Runs `fn` and returns the DomainError it throws; fails the test when it throws nothing or something else. */
function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error: unknown) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** A menu whose items are named 'i0', 'i1', ... with the given unit price, all available. */
function menuOfSize(size: number, priceCents = 100): Menu {
  return menu(Array.from({ length: size }, (_, index) => item(`i${index}`, { priceCents })));
}

describe('priceCart', () => {
  describe('amounts', () => {
    it('prices every line from the catalog and adds packaging per unit and the delivery fee', () => {
      const cart: CartLine[] = [
        { itemId: '1', quantity: 2 },
        { itemId: '2', quantity: 3 },
        { itemId: '3', quantity: 1 },
      ];
      const priced = priceCart(standardMenu, cart, NOON);

      expect(priced).toStrictEqual<PricedCart>({
        merchantId: 'm-1',
        lines: [
          {
            itemId: '1',
            name: 'Beef noodles',
            unitPriceCents: 1200,
            quantity: 2,
            lineTotalCents: 2400,
            packagingFeeCents: 200,
          },
          {
            itemId: '2',
            name: 'Dumplings',
            unitPriceCents: 800,
            quantity: 3,
            lineTotalCents: 2400,
            packagingFeeCents: 150,
          },
          {
            itemId: '3',
            name: 'Tea',
            unitPriceCents: 300,
            quantity: 1,
            lineTotalCents: 300,
            packagingFeeCents: 0,
          },
        ],
        subtotalCents: 5100,
        packagingFeeCents: 350,
        deliveryFeeCents: 500,
        discountCents: 0,
        totalCents: 5950,
        currency: 'CNY',
      });
    });

    it('keeps the order of the cart lines, not of the menu', () => {
      const priced = priceCart(
        standardMenu,
        [
          { itemId: '3', quantity: 1 },
          { itemId: '1', quantity: 1 },
        ],
        NOON,
      );
      expect(priced.lines.map((line) => line.itemId)).toEqual(['3', '1']);
    });

    it('never consults a price the client sent along with the line', () => {
      const forged = { itemId: '1', quantity: 1, unitPriceCents: 1, lineTotalCents: 1, totalCents: 1 };
      const cart: CartLine[] = [forged];
      const priced = priceCart(standardMenu, cart, NOON);
      expect(priced.lines[0]?.unitPriceCents).toBe(1200);
      expect(priced.lines[0]?.lineTotalCents).toBe(1200);
      expect(priced.totalCents).toBe(1200 + 100 + 500);
    });

    it('takes the currency and the delivery fee from the merchant', () => {
      const priced = priceCart(
        menu([tea], { currency: 'HKD', deliveryFeeCents: 0 }),
        [{ itemId: '3', quantity: 2 }],
        NOON,
      );
      expect(priced.currency).toBe('HKD');
      expect(priced.deliveryFeeCents).toBe(0);
      expect(priced.totalCents).toBe(600);
    });

    it('prices free items at zero', () => {
      const priced = priceCart(
        menu([item('free', { priceCents: 0, packagingFeeCents: 0 })]),
        [{ itemId: 'free', quantity: 5 }],
        NOON,
      );
      expect(priced.subtotalCents).toBe(0);
      expect(priced.totalCents).toBe(500);
    });

    it('accepts the smallest and the largest quantity', () => {
      const priced = priceCart(
        standardMenu,
        [
          { itemId: '1', quantity: 1 },
          { itemId: '2', quantity: MAX_QUANTITY },
        ],
        NOON,
      );
      expect(MAX_QUANTITY).toBe(99);
      expect(priced.lines[1]).toMatchObject({
        quantity: 99,
        lineTotalCents: 79_200,
        packagingFeeCents: 4950,
      });
    });

    it('accepts a cart of exactly MAX_CART_LINES distinct items', () => {
      expect(MAX_CART_LINES).toBe(50);
      const cart = Array.from({ length: MAX_CART_LINES }, (_, index) => ({
        itemId: `i${index}`,
        quantity: 1,
      }));
      const priced = priceCart(menuOfSize(MAX_CART_LINES), cart, NOON);
      expect(priced.lines).toHaveLength(50);
      expect(priced.subtotalCents).toBe(5000);
    });

    it('changes neither the menu nor the cart', () => {
      const frozenMenu = deepFreeze(
        menu([noodles, dumplings], { discountRule: { thresholdCents: 0, discountCents: 100 } }),
      );
      const cart = deepFreeze([{ itemId: '1', quantity: 2 }]);
      const snapshot = structuredClone({ frozenMenu, cart });
      priceCart(frozenMenu, cart, NOON);
      expect({ frozenMenu, cart }).toEqual(snapshot);
    });
  });

  describe('spend-and-save discount', () => {
    const rule: SpendAndSaveRule = { thresholdCents: 3000, discountCents: 500 };
    const withRule = (discountRule: SpendAndSaveRule | null): Menu =>
      menu([item('a', { priceCents: 1000, packagingFeeCents: 100 }), item('b', { priceCents: 1 })], {
        discountRule,
      });

    it('applies the discount when the subtotal reaches the threshold exactly', () => {
      const priced = priceCart(withRule(rule), [{ itemId: 'a', quantity: 3 }], NOON);
      expect(priced.subtotalCents).toBe(3000);
      expect(priced.discountCents).toBe(500);
      expect(priced.totalCents).toBe(3000 + 300 + 500 - 500);
    });

    it('applies the discount above the threshold', () => {
      const priced = priceCart(
        withRule(rule),
        [
          { itemId: 'a', quantity: 3 },
          { itemId: 'b', quantity: 1 },
        ],
        NOON,
      );
      expect(priced.subtotalCents).toBe(3001);
      expect(priced.discountCents).toBe(500);
    });

    it('does not apply the discount one cent below the threshold', () => {
      const priced = priceCart(
        withRule({ thresholdCents: 3001, discountCents: 500 }),
        [{ itemId: 'a', quantity: 3 }],
        NOON,
      );
      expect(priced.subtotalCents).toBe(3000);
      expect(priced.discountCents).toBe(0);
      expect(priced.totalCents).toBe(3800);
    });

    it('measures the threshold on the subtotal alone, not on packaging or delivery', () => {
      // 2000 subtotal + 200 packaging + 500 delivery = 2700 passes 2100, but the subtotal alone does not.
      const priced = priceCart(
        withRule({ thresholdCents: 2100, discountCents: 500 }),
        [{ itemId: 'a', quantity: 2 }],
        NOON,
      );
      expect(priced.subtotalCents + priced.packagingFeeCents + priced.deliveryFeeCents).toBeGreaterThan(2100);
      expect(priced.discountCents).toBe(0);
    });

    it('gives no discount without a rule', () => {
      const priced = priceCart(withRule(null), [{ itemId: 'a', quantity: 99 }], NOON);
      expect(priced.discountCents).toBe(0);
    });

    it('applies a rule with a zero threshold to every cart', () => {
      const priced = priceCart(
        withRule({ thresholdCents: 0, discountCents: 1 }),
        [{ itemId: 'b', quantity: 1 }],
        NOON,
      );
      expect(priced.discountCents).toBe(1);
      expect(priced.totalCents).toBe(1 + 500 - 1);
    });

    it('caps the discount at the subtotal, so fees are still paid and the total never goes negative', () => {
      const priced = priceCart(
        withRule({ thresholdCents: 0, discountCents: 50_000 }),
        [{ itemId: 'a', quantity: 2 }],
        NOON,
      );
      expect(priced.subtotalCents).toBe(2000);
      expect(priced.discountCents).toBe(2000);
      expect(priced.totalCents).toBe(200 + 500);
    });

    it('caps the discount at a zero subtotal', () => {
      const priced = priceCart(
        menu([item('free', { priceCents: 0 })], {
          deliveryFeeCents: 0,
          discountRule: { thresholdCents: 0, discountCents: 300 },
        }),
        [{ itemId: 'free', quantity: 1 }],
        NOON,
      );
      expect(priced.discountCents).toBe(0);
      expect(priced.totalCents).toBe(0);
    });
  });

  describe('refusals', () => {
    it('refuses an empty cart with CART_EMPTY', () => {
      expect(refusal(() => priceCart(standardMenu, [], NOON)).code).toBe(DomainErrorCode.CartEmpty);
    });

    it('refuses an item listed twice with DUPLICATE_ITEM', () => {
      const error = refusal(() =>
        priceCart(
          standardMenu,
          [
            { itemId: '1', quantity: 1 },
            { itemId: '2', quantity: 1 },
            { itemId: '1', quantity: 2 },
          ],
          NOON,
        ),
      );
      expect(error.code).toBe(DomainErrorCode.DuplicateItem);
      expect(error.details).toEqual({ itemId: '1' });
    });

    it.each([
      ['zero', 0],
      ['one above the maximum', 100],
      ['a fraction', 1.5],
      ['a negative number', -1],
      ['NaN', Number.NaN],
      ['infinity', Number.POSITIVE_INFINITY],
    ])('refuses a quantity of %s with QUANTITY_OUT_OF_RANGE', (_label, quantity) => {
      const error = refusal(() => priceCart(standardMenu, [{ itemId: '2', quantity }], NOON));
      expect(error.code).toBe(DomainErrorCode.QuantityOutOfRange);
      expect(error.details).toEqual({ itemId: '2' });
    });

    it('refuses an item that is not on the menu with ITEM_NOT_FOUND', () => {
      const error = refusal(() =>
        priceCart(
          standardMenu,
          [
            { itemId: '1', quantity: 1 },
            { itemId: '999', quantity: 1 },
          ],
          NOON,
        ),
      );
      expect(error.code).toBe(DomainErrorCode.ItemNotFound);
      expect(error.details).toEqual({ itemId: '999' });
    });

    it('refuses an item of the menu that is not available with ITEM_UNAVAILABLE', () => {
      const error = refusal(() => priceCart(standardMenu, [{ itemId: soldOut.id, quantity: 1 }], NOON));
      expect(error.code).toBe(DomainErrorCode.ItemUnavailable);
      expect(error.details).toEqual({ itemId: soldOut.id });
    });

    it('refuses any cart while the merchant is closed with MERCHANT_CLOSED', () => {
      const closedAtNoon = menu([noodles], { opensAtMinute: 17 * 60, closesAtMinute: 22 * 60 });
      const error = refusal(() => priceCart(closedAtNoon, [{ itemId: '1', quantity: 1 }], NOON));
      expect(error.code).toBe(DomainErrorCode.MerchantClosed);
      expect(error.details).toEqual({ merchantId: 'm-1' });
      expect(
        priceCart(closedAtNoon, [{ itemId: '1', quantity: 1 }], new Date('2024-05-01T18:00:00Z')),
      ).toBeDefined();
    });

    it('refuses more than MAX_CART_LINES lines with VALIDATION_FAILED', () => {
      const cart = Array.from({ length: MAX_CART_LINES + 1 }, (_, index) => ({
        itemId: `i${index}`,
        quantity: 1,
      }));
      const error = refusal(() => priceCart(menuOfSize(MAX_CART_LINES + 1), cart, NOON));
      expect(error.code).toBe(DomainErrorCode.ValidationFailed);
    });

    it('refuses a line total beyond the representable range', () => {
      const huge = menu([item('gold', { priceCents: Math.floor(Number.MAX_SAFE_INTEGER / 10) })]);
      const error = refusal(() => priceCart(huge, [{ itemId: 'gold', quantity: 11 }], NOON));
      expect(error.code).toBe(DomainErrorCode.ValidationFailed);
    });

    it('refuses a total beyond the representable range even when every line fits', () => {
      const half = Math.floor(Number.MAX_SAFE_INTEGER / 2) + 1;
      const huge = menu([item('a', { priceCents: half }), item('b', { priceCents: half })]);
      const cart = [
        { itemId: 'a', quantity: 1 },
        { itemId: 'b', quantity: 1 },
      ];
      expect(refusal(() => priceCart(huge, cart, NOON)).code).toBe(DomainErrorCode.ValidationFailed);
    });

    it.each<[string, Menu]>([
      ['a negative price', menu([item('x', { priceCents: -100 })])],
      ['a fractional price', menu([item('x', { priceCents: 12.5 })])],
      ['a negative packaging fee', menu([item('x', { packagingFeeCents: -1 })])],
      ['a fractional packaging fee', menu([item('x', { packagingFeeCents: 0.5 })])],
      ['a negative delivery fee', menu([item('x')], { deliveryFeeCents: -500 })],
      ['a fractional delivery fee', menu([item('x')], { deliveryFeeCents: 99.9 })],
      [
        'a negative discount',
        menu([item('x')], { discountRule: { thresholdCents: 0, discountCents: -300 } }),
      ],
      [
        'a fractional threshold',
        menu([item('x')], { discountRule: { thresholdCents: 0.5, discountCents: 1 } }),
      ],
    ])('refuses to price from a catalog with %s (VALIDATION_FAILED)', (_label, badMenu) => {
      const error = refusal(() => priceCart(badMenu, [{ itemId: 'x', quantity: 2 }], NOON));
      expect(error.code).toBe(DomainErrorCode.ValidationFailed);
    });
  });

  describe('properties', () => {
    const menuItemArb = (id: string): fc.Arbitrary<MenuItem> =>
      fc.record({
        id: fc.constant(id),
        name: fc.string({ maxLength: 12 }),
        priceCents: fc.integer({ min: 0, max: 200_000 }),
        packagingFeeCents: fc.integer({ min: 0, max: 1_000 }),
        available: fc.boolean(),
      });

    const menuArb: fc.Arbitrary<Menu> = fc
      .uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 60 })
      .chain((ids) => fc.tuple(...ids.map(menuItemArb)))
      .chain((items) =>
        fc.record({
          merchant: fc.record({
            id: fc.constant('m-1'),
            name: fc.constant('Anywhere'),
            opensAtMinute: fc.constant(0),
            closesAtMinute: fc.constant(24 * 60),
            deliveryFeeCents: fc.integer({ min: 0, max: 3_000 }),
            discountRule: fc.option(
              fc.record({
                thresholdCents: fc.integer({ min: 0, max: 500_000 }),
                discountCents: fc.integer({ min: 0, max: 100_000 }),
              }),
            ),
            currency: fc.constantFrom('CNY', 'USD'),
          }),
          items: fc.constant(items),
          version: fc.nat(),
        }),
      );

    function assertConsistent(m: Menu, cart: readonly CartLine[], priced: PricedCart): void {
      const values = [
        priced.subtotalCents,
        priced.packagingFeeCents,
        priced.deliveryFeeCents,
        priced.discountCents,
        priced.totalCents,
      ];
      for (const value of values) expect(Number.isSafeInteger(value) && value >= 0).toBe(true);
      expect(priced.totalCents).toBe(
        priced.subtotalCents + priced.packagingFeeCents + priced.deliveryFeeCents - priced.discountCents,
      );
      expect(priced.lines.map((line) => line.itemId)).toEqual(cart.map((line) => line.itemId));
      for (const line of priced.lines) {
        const catalog = m.items.find((candidate) => candidate.id === line.itemId);
        expect(line.unitPriceCents).toBe(catalog?.priceCents);
        expect(line.lineTotalCents).toBe(line.unitPriceCents * line.quantity);
        expect(line.packagingFeeCents).toBe((catalog?.packagingFeeCents ?? Number.NaN) * line.quantity);
        expect(Number.isSafeInteger(line.lineTotalCents)).toBe(true);
      }
      const subtotal = priced.lines.reduce((sum, line) => sum + line.lineTotalCents, 0);
      expect(priced.subtotalCents).toBe(subtotal);
      expect(priced.packagingFeeCents).toBe(
        priced.lines.reduce((sum, line) => sum + line.packagingFeeCents, 0),
      );
      expect(priced.deliveryFeeCents).toBe(m.merchant.deliveryFeeCents);
      const rule = m.merchant.discountRule;
      const expectedDiscount =
        rule && subtotal >= rule.thresholdCents ? Math.min(rule.discountCents, subtotal) : 0;
      expect(priced.discountCents).toBe(expectedDiscount);
      expect(priced.discountCents).toBeLessThanOrEqual(priced.subtotalCents);
    }

    it('prices every cart of available items consistently', () => {
      const scenario = menuArb.chain((m) => {
        const available = m.items.filter((candidate) => candidate.available).map((candidate) => candidate.id);
        const cart =
          available.length === 0
            ? fc.constant<CartLine[]>([])
            : fc
                .shuffledSubarray(available, {
                  minLength: 1,
                  maxLength: Math.min(available.length, MAX_CART_LINES),
                })
                .chain((ids) =>
                  fc.tuple(
                    ...ids.map((itemId) =>
                      fc.record({
                        itemId: fc.constant(itemId),
                        quantity: fc.integer({ min: 1, max: MAX_QUANTITY }),
                      }),
                    ),
                  ),
                );
        return fc.tuple(fc.constant(m), cart);
      });
      fc.assert(
        fc.property(scenario, ([m, cart]) => {
          fc.pre(cart.length > 0);
          assertConsistent(m, cart, priceCart(m, cart, NOON));
        }),
        { numRuns: 200 },
      );
    });

    it('prices a cart exactly when every line is sellable, and otherwise refuses it with a stable code', () => {
      const lineArb = (ids: readonly string[]): fc.Arbitrary<CartLine> =>
        fc.record({
          itemId: fc.oneof(
            { weight: 8, arbitrary: fc.constantFrom(...ids) },
            { weight: 1, arbitrary: fc.constant('not-on-menu') },
          ),
          quantity: fc.oneof(
            { weight: 12, arbitrary: fc.integer({ min: 1, max: MAX_QUANTITY }) },
            { weight: 1, arbitrary: fc.constantFrom(0, -1, 100, 1.5, Number.NaN) },
          ),
        });
      const scenario = menuArb.chain((m) =>
        fc.tuple(
          fc.constant(m),
          fc.array(lineArb(m.items.map((candidate) => candidate.id)), { maxLength: 8 }),
        ),
      );
      fc.assert(
        fc.property(scenario, ([m, cart]) => {
          const ids = cart.map((line) => line.itemId);
          const sellable =
            cart.length > 0 &&
            new Set(ids).size === ids.length &&
            cart.every(
              (line) =>
                Number.isInteger(line.quantity) &&
                line.quantity >= 1 &&
                line.quantity <= MAX_QUANTITY &&
                m.items.some((candidate) => candidate.id === line.itemId && candidate.available),
            );
          let priced: PricedCart | undefined;
          let error: unknown;
          try {
            priced = priceCart(m, cart, NOON);
          } catch (caught: unknown) {
            error = caught;
          }
          if (sellable) {
            expect(error).toBeUndefined();
            if (priced) assertConsistent(m, cart, priced);
          } else {
            expect(priced).toBeUndefined();
            expect(error).toBeInstanceOf(DomainError);
            expect([
              DomainErrorCode.CartEmpty,
              DomainErrorCode.DuplicateItem,
              DomainErrorCode.QuantityOutOfRange,
              DomainErrorCode.ItemNotFound,
              DomainErrorCode.ItemUnavailable,
            ]).toContain((error as DomainError).code);
          }
        }),
        { numRuns: 300 },
      );
    });
  });
});
