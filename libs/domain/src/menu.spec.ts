import fc from 'fast-check';
import { Merchant, isOpenAt } from './menu';

const DAY = 24 * 60;

function merchant(opensAtMinute: number, closesAtMinute: number): Merchant {
  return {
    id: 'm-1',
    name: 'Noodle House',
    opensAtMinute,
    closesAtMinute,
    deliveryFeeCents: 0,
    discountRule: null,
    currency: 'CNY',
  };
}

/** A UTC instant on an arbitrary day at hh:mm:ss.mmm. */
function at(hours: number, minutes: number, seconds = 0, ms = 0): Date {
  return new Date(Date.UTC(2024, 2, 15, hours, minutes, seconds, ms));
}

const minuteOf = (minute: number): Date => at(Math.floor(minute / 60), minute % 60);

/** The minutes of the day (0..1439) during which the merchant is open. */
function openMinutes(m: Merchant): number[] {
  return Array.from({ length: DAY }, (_, minute) => minute).filter((minute) => isOpenAt(m, minuteOf(minute)));
}

describe('isOpenAt', () => {
  describe('a window within one day (09:00 to 21:00)', () => {
    const m = merchant(9 * 60, 21 * 60);

    it.each([
      ['00:00', at(0, 0), false],
      ['08:59:59.999', at(8, 59, 59, 999), false],
      ['09:00 (opening minute, inclusive)', at(9, 0), true],
      ['12:30', at(12, 30), true],
      ['20:59:59.999', at(20, 59, 59, 999), true],
      ['21:00 (closing minute, exclusive)', at(21, 0), false],
      ['23:59', at(23, 59), false],
    ])('at %s it is open: %s', (_label, when, open) => {
      expect(isOpenAt(m, when)).toBe(open);
    });

    it('is open exactly 12 hours a day', () => {
      expect(openMinutes(m)).toHaveLength(12 * 60);
    });
  });

  describe('a window past midnight (22:00 to 02:00)', () => {
    const m = merchant(22 * 60, 2 * 60);

    it.each([
      ['21:59', at(21, 59), false],
      ['22:00', at(22, 0), true],
      ['23:59:59.999', at(23, 59, 59, 999), true],
      ['00:00', at(0, 0), true],
      ['01:59', at(1, 59), true],
      ['02:00', at(2, 0), false],
      ['12:00', at(12, 0), false],
    ])('at %s it is open: %s', (_label, when, open) => {
      expect(isOpenAt(m, when)).toBe(open);
    });

    it('is open exactly 4 hours a day', () => {
      expect(openMinutes(m)).toHaveLength(4 * 60);
    });

    it('reads a closing minute past 1440 as the next day', () => {
      const written = merchant(22 * 60, 26 * 60);
      expect(openMinutes(written)).toEqual(openMinutes(m));
    });
  });

  describe('windows that touch midnight', () => {
    it('opens at midnight (00:00 to 06:00)', () => {
      const m = merchant(0, 6 * 60);
      expect(isOpenAt(m, at(0, 0))).toBe(true);
      expect(isOpenAt(m, at(5, 59))).toBe(true);
      expect(isOpenAt(m, at(6, 0))).toBe(false);
      expect(isOpenAt(m, at(23, 59))).toBe(false);
    });

    it('closes at midnight (18:00 to 24:00)', () => {
      const m = merchant(18 * 60, DAY);
      expect(isOpenAt(m, at(17, 59))).toBe(false);
      expect(isOpenAt(m, at(18, 0))).toBe(true);
      expect(isOpenAt(m, at(23, 59, 59, 999))).toBe(true);
      expect(isOpenAt(m, at(0, 0))).toBe(false);
    });

    it('is open for a single minute (10:00 to 10:01)', () => {
      expect(openMinutes(merchant(600, 601))).toEqual([600]);
    });

    it('is open for a single minute across midnight (23:59 to 00:00)', () => {
      expect(openMinutes(merchant(DAY - 1, 0))).toEqual([DAY - 1]);
    });
  });

  describe('24h windows', () => {
    it.each([
      ['00:00 to 24:00', 0, DAY],
      ['00:00 to 00:00', 0, 0],
      ['08:00 to 08:00', 480, 480],
      ['08:00 to 08:00 the next day', 480, 480 + DAY],
      ['longer than a day', 0, 2 * DAY],
    ])('%s is open every minute of the day', (_label, opens, closes) => {
      expect(openMinutes(merchant(opens, closes))).toHaveLength(DAY);
    });
  });

  it('reads the time in UTC, whatever offset the instant was written with', () => {
    const m = merchant(9 * 60, 17 * 60);
    // 23:30 in UTC+8 is 15:30 UTC: open; 08:30 in UTC+8 is 00:30 UTC: closed.
    expect(isOpenAt(m, new Date('2024-03-15T23:30:00+08:00'))).toBe(true);
    expect(isOpenAt(m, new Date('2024-03-15T08:30:00+08:00'))).toBe(false);
  });

  it('does not depend on the date, only on the time of day', () => {
    const m = merchant(22 * 60, 2 * 60);
    expect(isOpenAt(m, new Date('2023-12-31T23:00:00Z'))).toBe(true);
    expect(isOpenAt(m, new Date('2024-01-01T01:00:00Z'))).toBe(true);
    expect(isOpenAt(m, new Date('2024-02-29T12:00:00Z'))).toBe(false);
  });

  it('treats an invalid instant as closed for a bounded window', () => {
    expect(isOpenAt(merchant(9 * 60, 21 * 60), new Date(Number.NaN))).toBe(false);
    expect(isOpenAt(merchant(22 * 60, 2 * 60), new Date(Number.NaN))).toBe(false);
  });

  it('property: a bounded window is open from its opening minute, inclusive, to its closing minute, exclusive', () => {
    const windowArb = fc
      .tuple(fc.integer({ min: 0, max: DAY - 1 }), fc.integer({ min: 0, max: DAY - 1 }))
      .filter(([opens, closes]) => opens !== closes);
    fc.assert(
      fc.property(windowArb, fc.integer({ min: 0, max: DAY - 1 }), ([opens, closes], minute) => {
        const m = merchant(opens, closes);
        const sinceOpening = (minute - opens + DAY) % DAY;
        const length = (closes - opens + DAY) % DAY;
        expect(isOpenAt(m, minuteOf(minute))).toBe(sinceOpening < length);
        expect(isOpenAt(m, minuteOf(opens))).toBe(true);
        expect(isOpenAt(m, minuteOf(closes))).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
