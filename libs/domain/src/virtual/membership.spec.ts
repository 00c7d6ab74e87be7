import fc from 'fast-check';
import { MembershipPeriod, membershipEnd, membershipPeriodState, nextMembershipPeriod } from './membership';

const DAY = 24 * 3600 * 1000;
const NOW = new Date('2024-05-01T00:00:00Z');

describe('nextMembershipPeriod', () => {
  it('starts now for a new member, or one whose membership lapsed', () => {
    expect(nextMembershipPeriod(null, NOW, 30)).toEqual({
      startsAt: NOW,
      endsAt: new Date(NOW.getTime() + 30 * DAY),
    });
    const lapsed = new Date(NOW.getTime() - DAY);
    expect(nextMembershipPeriod(lapsed, NOW, 30).startsAt).toEqual(NOW);
  });

  it('extends a running membership from its end, leaving no gap and no overlap', () => {
    const end = new Date(NOW.getTime() + 10 * DAY);
    expect(nextMembershipPeriod(end, NOW, 30)).toEqual({
      startsAt: end,
      endsAt: new Date(end.getTime() + 30 * DAY),
    });
  });

  it('chains any sequence of purchases into one unbroken stretch', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 10 }), (lengths) => {
        let end: Date | null = null;
        for (const days of lengths) {
          const period = nextMembershipPeriod(end, NOW, days);
          if (end !== null) expect(period.startsAt).toEqual(end);
          expect(period.endsAt.getTime() - period.startsAt.getTime()).toBe(days * DAY);
          end = period.endsAt;
        }
        expect(end?.getTime()).toBe(NOW.getTime() + lengths.reduce((a, b) => a + b, 0) * DAY);
      }),
    );
  });

  it('refuses a period of no whole days (a configuration bug)', () => {
    expect(() => nextMembershipPeriod(null, NOW, 0)).toThrow();
    expect(() => nextMembershipPeriod(null, NOW, 1.5)).toThrow();
  });
});

describe('membershipPeriodState', () => {
  const period: MembershipPeriod = {
    orderId: '1',
    userId: '42',
    businessLine: 'membership',
    plan: 'monthly',
    startsAt: new Date(NOW.getTime() + DAY),
    endsAt: new Date(NOW.getTime() + 31 * DAY),
    cancelledAt: null,
  };

  it('is upcoming before its start, current from its start, ended from its end', () => {
    expect(membershipPeriodState(period, NOW)).toBe('UPCOMING');
    expect(membershipPeriodState(period, period.startsAt)).toBe('CURRENT');
    expect(membershipPeriodState(period, new Date(period.endsAt.getTime() - 1))).toBe('CURRENT');
    expect(membershipPeriodState(period, period.endsAt)).toBe('ENDED');
  });

  it('is cancelled once refunded, whatever the time', () => {
    expect(membershipPeriodState({ ...period, cancelledAt: NOW }, period.startsAt)).toBe('CANCELLED');
  });
});

describe('membershipEnd', () => {
  const chain = (days: readonly number[]): MembershipPeriod[] => {
    let end: Date | null = null;
    return days.map((length, index) => {
      const { startsAt, endsAt } = nextMembershipPeriod(end, NOW, length);
      end = endsAt;
      return {
        orderId: String(index + 1),
        userId: '42',
        businessLine: 'membership',
        plan: 'monthly',
        startsAt,
        endsAt,
        cancelledAt: null,
      };
    });
  };

  it('is null for a member with no period standing', () => {
    expect(membershipEnd([])).toBeNull();
    expect(membershipEnd(chain([30]).map((period) => ({ ...period, cancelledAt: NOW })))).toBeNull();
  });

  it('moves back to the previous end when the last period is cancelled, so the next card starts there', () => {
    const [first, second] = chain([30, 90]);
    expect(membershipEnd([first, second])).toEqual(second.endsAt);
    const end = membershipEnd([first, { ...second, cancelledAt: NOW }]);
    expect(end).toEqual(first.endsAt);
    expect(nextMembershipPeriod(end, NOW, 30).startsAt).toEqual(first.endsAt);
  });

  it('is the latest end standing whatever order the periods come in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ days: fc.integer({ min: 1, max: 400 }), cancelled: fc.boolean() }), {
          maxLength: 10,
        }),
        (specs) => {
          const periods = chain(specs.map((spec) => spec.days)).map((period, index) => ({
            ...period,
            cancelledAt: specs[index].cancelled ? NOW : null,
          }));
          const standing = periods.filter((period) => period.cancelledAt === null);
          const expected = standing.length === 0 ? null : standing[standing.length - 1].endsAt;
          expect(membershipEnd(periods)).toEqual(expected);
          expect(membershipEnd([...periods].reverse())).toEqual(expected);
        },
      ),
    );
  });
});
