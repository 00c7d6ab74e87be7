import fc from 'fast-check';
import { DomainError, DomainErrorCode } from '../domain.error';
import { RefundableLine, lineShares, priceRefund, unitsRefundCents } from './refund-allocation';

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error: unknown) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

function line(
  lineNo: number,
  quantity: number,
  unitPriceCents: number,
  refundedQuantity = 0,
): RefundableLine {
  return {
    lineNo,
    itemId: String(100 + lineNo),
    quantity,
    lineTotalCents: quantity * unitPriceCents,
    refundedQuantity,
  };
}

// Subtotal 2 x 1250 + 1 x 999 + 3 x 333 = 4498; fees 500 + 150; discount 700: paid 4448.
const NOODLES = line(1, 2, 1250);
const TEA = line(2, 1, 999);
const BUNS = line(3, 3, 333);
const PAID = 4498 + 500 + 150 - 700;

describe('lineShares', () => {
  it('spreads fees and discount in proportion to line totals, remainder cents to the largest remainders', () => {
    // Exact shares: 2500/4498*4448 = 2472.21, 999/4498*4448 = 987.89, 999/4498*4448 = 987.89.
    // Floors 2472 + 987 + 987 = 4446: two cents left, to the two .89 remainders (lines 2 and 3).
    expect(lineShares(PAID, [NOODLES, TEA, BUNS])).toEqual(
      new Map([
        [1, 2472],
        [2, 988],
        [3, 988],
      ]),
    );
  });

  it('gives a tied remainder cent to the lower line number, whatever the input order', () => {
    const lines = [line(2, 1, 100), line(1, 1, 100), line(3, 1, 100)];
    expect(lineShares(100, lines)).toEqual(
      new Map([
        [2, 33],
        [1, 34],
        [3, 33],
      ]),
    );
    expect(lineShares(101, [...lines].reverse()).get(3)).toBe(33);
  });

  it('splits by quantity when every line is free', () => {
    expect(lineShares(500, [line(1, 1, 0), line(2, 4, 0)])).toEqual(
      new Map([
        [1, 100],
        [2, 400],
      ]),
    );
  });

  it('gives nothing to free lines when others cost something', () => {
    expect(lineShares(1000, [line(1, 1, 0), line(2, 1, 800)])).toEqual(
      new Map([
        [1, 0],
        [2, 1000],
      ]),
    );
  });

  it('refuses a negative or fractional paid amount, a repeated line, and money paid for no line', () => {
    expect(refusal(() => lineShares(-1, [NOODLES])).code).toBe(DomainErrorCode.ValidationFailed);
    expect(refusal(() => lineShares(1.5, [NOODLES])).code).toBe(DomainErrorCode.ValidationFailed);
    expect(refusal(() => lineShares(10, [NOODLES, NOODLES])).code).toBe(DomainErrorCode.ValidationFailed);
    expect(refusal(() => lineShares(10, [])).code).toBe(DomainErrorCode.ValidationFailed);
    expect(lineShares(0, [])).toEqual(new Map());
  });
});

describe('unitsRefundCents', () => {
  it('puts the odd cents on the first units', () => {
    // 1000 over 3 units: 334, 333, 333.
    expect(unitsRefundCents(1000, 3, 0, 1)).toBe(334);
    expect(unitsRefundCents(1000, 3, 1, 1)).toBe(333);
    expect(unitsRefundCents(1000, 3, 2, 1)).toBe(333);
    expect(unitsRefundCents(1000, 3, 0, 3)).toBe(1000);
    expect(unitsRefundCents(1000, 3, 1, 2)).toBe(666);
    expect(unitsRefundCents(1000, 3, 3, 0)).toBe(0);
  });

  it('refuses refunding past the line quantity', () => {
    const error = refusal(() => unitsRefundCents(1000, 3, 2, 2));
    expect(error.code).toBe(DomainErrorCode.RefundExceedsPaid);
  });
});

describe('priceRefund', () => {
  const lines = [NOODLES, TEA, BUNS];

  it('prices a full refund of a fresh order at exactly what was paid', () => {
    expect(priceRefund(PAID, lines)).toEqual({
      lines: [
        { lineNo: 1, itemId: '101', quantity: 2, amountCents: 2472 },
        { lineNo: 2, itemId: '102', quantity: 1, amountCents: 988 },
        { lineNo: 3, itemId: '103', quantity: 3, amountCents: 988 },
      ],
      amountCents: PAID,
    });
  });

  it('prices some units of some lines, then the rest adds up to what was paid', () => {
    const first = priceRefund(PAID, lines, [
      { lineNo: 3, quantity: 1 },
      { lineNo: 1, quantity: 1 },
    ]);
    // Line 3: 988 over 3 units -> 330, 329, 329. Line 1: 2472 over 2 -> 1236 each.
    expect(first).toEqual({
      lines: [
        { lineNo: 3, itemId: '103', quantity: 1, amountCents: 330 },
        { lineNo: 1, itemId: '101', quantity: 1, amountCents: 1236 },
      ],
      amountCents: 1566,
    });
    const rest = priceRefund(PAID, [line(1, 2, 1250, 1), TEA, line(3, 3, 333, 1)]);
    expect(rest.lines.map((l) => [l.lineNo, l.quantity, l.amountCents])).toEqual([
      [1, 1, 1236],
      [2, 1, 988],
      [3, 2, 658],
    ]);
    expect(first.amountCents + rest.amountCents).toBe(PAID);
  });

  it('leaves fully refunded lines out of a full refund', () => {
    const result = priceRefund(PAID, [line(1, 2, 1250, 2), TEA, BUNS]);
    expect(result.lines.map((l) => l.lineNo)).toEqual([2, 3]);
    expect(result.amountCents).toBe(988 + 988);
  });

  it.each([
    ['a zero quantity', [{ lineNo: 1, quantity: 0 }], DomainErrorCode.QuantityOutOfRange],
    ['a fractional quantity', [{ lineNo: 1, quantity: 1.5 }], DomainErrorCode.QuantityOutOfRange],
    ['a negative quantity', [{ lineNo: 1, quantity: -1 }], DomainErrorCode.QuantityOutOfRange],
    [
      'a line twice',
      [
        { lineNo: 1, quantity: 1 },
        { lineNo: 1, quantity: 1 },
      ],
      DomainErrorCode.DuplicateItem,
    ],
    ['an unknown line', [{ lineNo: 9, quantity: 1 }], DomainErrorCode.ItemNotFound],
    ['more units than bought', [{ lineNo: 1, quantity: 3 }], DomainErrorCode.RefundExceedsPaid],
    ['no line at all', [], DomainErrorCode.ValidationFailed],
  ])('refuses %s', (_name, request, code) => {
    expect(refusal(() => priceRefund(PAID, lines, request)).code).toBe(code);
  });

  it('refuses more units than remain after earlier refunds', () => {
    const error = refusal(() => priceRefund(PAID, [line(1, 2, 1250, 1)], [{ lineNo: 1, quantity: 2 }]));
    expect(error.code).toBe(DomainErrorCode.RefundExceedsPaid);
    expect(error.details).toMatchObject({ lineNo: 1, requested: 2, remaining: 1 });
  });

  it('refuses a full refund when nothing remains', () => {
    const refunded = [line(1, 2, 1250, 2), line(2, 1, 999, 1)];
    expect(refusal(() => priceRefund(3249, refunded)).code).toBe(DomainErrorCode.RefundExceedsPaid);
  });

  it('refuses a refund worth nothing: units of a line that was paid nothing', () => {
    const error = refusal(() =>
      priceRefund(1000, [line(1, 1, 0), line(2, 1, 1000)], [{ lineNo: 1, quantity: 1 }]),
    );
    expect(error.code).toBe(DomainErrorCode.RefundExceedsPaid);
  });
});

/** A random order: 1..50 lines, quantity 1..99, unit price 0..100000, fees and a discount within what is paid. */
const orderArbitrary = fc
  .array(
    fc.record({
      quantity: fc.integer({ min: 1, max: 99 }),
      unitPriceCents: fc.integer({ min: 0, max: 100_000 }),
    }),
    {
      minLength: 1,
      maxLength: 50,
    },
  )
  .chain((raw) => {
    const lines = raw.map((r, index) => line(index + 1, r.quantity, r.unitPriceCents));
    const subtotal = lines.reduce((sum, l) => sum + l.lineTotalCents, 0);
    return fc
      .record({
        fees: fc.integer({ min: 0, max: 2_000 }),
        discountRatio: fc.double({ min: 0, max: 1, noNaN: true }),
      })
      .map(({ fees, discountRatio }) => {
        const discount = Math.floor((subtotal + fees) * discountRatio);
        return { lines, paid: subtotal + fees - discount };
      });
  });

describe('refund allocation properties', () => {
  it('lineShares sums exactly to what was paid, no share negative', () => {
    fc.assert(
      fc.property(orderArbitrary, ({ lines, paid }) => {
        const shares = [...lineShares(paid, lines).values()];
        expect(shares).toHaveLength(lines.length);
        expect(shares.every((s) => Number.isSafeInteger(s) && s >= 0)).toBe(true);
        expect(shares.reduce((a, b) => a + b, 0)).toBe(paid);
      }),
    );
  });

  it('refunding every line in random partial steps gives back exactly what was paid', () => {
    fc.assert(
      fc.property(
        orderArbitrary,
        fc.infiniteStream(fc.integer({ min: 1, max: 99 })),
        ({ lines, paid }, steps) => {
          const shares = lineShares(paid, lines);
          let refunded = 0;
          for (const l of lines) {
            const share = shares.get(l.lineNo) ?? -1;
            let done = 0;
            let lineRefunded = 0;
            while (done < l.quantity) {
              const step = Math.min(steps.next().value as number, l.quantity - done);
              const cents = unitsRefundCents(share, l.quantity, done, step);
              expect(cents).toBeGreaterThanOrEqual(0);
              // Each unit is worth the floor of the share per unit, or one cent more.
              expect(cents).toBeGreaterThanOrEqual(step * Math.floor(share / l.quantity));
              expect(cents).toBeLessThanOrEqual(step * Math.ceil(share / l.quantity));
              lineRefunded += cents;
              done += step;
            }
            expect(lineRefunded).toBe(share);
            refunded += lineRefunded;
          }
          expect(refunded).toBe(paid);
        },
      ),
    );
  });

  it('priceRefund of a partial request then of the rest adds up to what was paid', () => {
    fc.assert(
      fc.property(orderArbitrary, fc.array(fc.nat()), ({ lines, paid }, picks) => {
        fc.pre(paid > 0);
        const request = lines
          .map((l, index) => ({ lineNo: l.lineNo, quantity: (picks[index] ?? 0) % (l.quantity + 1) }))
          .filter((r) => r.quantity > 0);
        let firstCents = 0;
        const after = new Map(lines.map((l) => [l.lineNo, 0]));
        if (request.length > 0) {
          try {
            const first = priceRefund(paid, lines, request);
            firstCents = first.amountCents;
            for (const r of first.lines) after.set(r.lineNo, r.quantity);
          } catch (error: unknown) {
            // Only a request worth nothing is refused; the units stay unrefunded.
            expect(error instanceof DomainError && error.code === DomainErrorCode.RefundExceedsPaid).toBe(
              true,
            );
          }
        }
        const remaining = lines.map((l) => ({ ...l, refundedQuantity: after.get(l.lineNo) ?? 0 }));
        let restCents = 0;
        try {
          restCents = priceRefund(paid, remaining).amountCents;
        } catch (error: unknown) {
          expect(error instanceof DomainError && error.code === DomainErrorCode.RefundExceedsPaid).toBe(true);
        }
        expect(firstCents + restCents).toBe(paid);
      }),
    );
  });
});
