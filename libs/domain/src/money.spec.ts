import fc from 'fast-check';
import { DomainError, DomainErrorCode } from './domain.error';
import { DEFAULT_CURRENCY, assertCents, sumCents } from './money';

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error: unknown) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

describe('money', () => {
  it('defaults to CNY', () => {
    expect(DEFAULT_CURRENCY).toBe('CNY');
  });

  describe('assertCents', () => {
    it.each([0, 1, 99, 123_456, Number.MAX_SAFE_INTEGER])('accepts %d and returns it', (value) => {
      expect(assertCents(value, 'price')).toBe(value);
    });

    it.each([
      ['a negative amount', -1],
      ['a fraction', 12.5],
      ['a tiny fraction', 0.1],
      ['NaN', Number.NaN],
      ['infinity', Number.POSITIVE_INFINITY],
      ['negative infinity', Number.NEGATIVE_INFINITY],
      ['an amount past the safe range', Number.MAX_SAFE_INTEGER + 1],
    ])('refuses %s with VALIDATION_FAILED, naming what was wrong', (_label, value) => {
      const error = refusal(() => assertCents(value, 'delivery fee'));
      expect(error.code).toBe(DomainErrorCode.ValidationFailed);
      expect(error.message).toContain('delivery fee');
    });
  });

  describe('sumCents', () => {
    it('sums nothing to zero', () => {
      expect(sumCents([])).toBe(0);
    });

    it('sums amounts exactly', () => {
      expect(sumCents([1, 2, 3])).toBe(6);
      expect(sumCents([10, 20])).toBe(30);
      expect(sumCents([Number.MAX_SAFE_INTEGER - 1, 1])).toBe(Number.MAX_SAFE_INTEGER);
    });

    it('refuses a sum past the representable range', () => {
      expect(refusal(() => sumCents([Number.MAX_SAFE_INTEGER, 1])).code).toBe(
        DomainErrorCode.ValidationFailed,
      );
      const half = Math.ceil(Number.MAX_SAFE_INTEGER / 2);
      expect(refusal(() => sumCents([half, half, half])).code).toBe(DomainErrorCode.ValidationFailed);
    });

    it.each<[string, number[]]>([
      ['fractions that add up to a whole', [0.5, 0.5]],
      ['a negative amount that cancels another', [500, -500]],
      ['a negative amount', [-1]],
      ['NaN', [1, Number.NaN]],
      ['infinity', [Number.POSITIVE_INFINITY]],
    ])('refuses %s, since each term must be cents', (_label, values) => {
      expect(refusal(() => sumCents(values)).code).toBe(DomainErrorCode.ValidationFailed);
    });

    it('property: equals the arithmetic sum for any amounts, in any order', () => {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000_000 }), { maxLength: 100 }), (values) => {
          const expected = values.reduce((sum, value) => sum + value, 0);
          expect(sumCents(values)).toBe(expected);
          expect(sumCents([...values].reverse())).toBe(expected);
        }),
      );
    });
  });
});
