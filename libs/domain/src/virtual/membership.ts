/** A stretch of membership one order bought. */
export interface MembershipPeriod {
  readonly orderId: string;
  readonly userId: string;
  readonly businessLine: string;
  /** The products the order bought, `+`-joined: `membership-monthly`. */
  readonly plan: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  /** Set when the period was refunded before it started. */
  readonly cancelledAt: Date | null;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * The period a new membership order adds: from the end of the member's current membership when
 * that is still ahead, else from now, for `days` days. Buying while a period runs extends it;
 * buying after it lapsed starts afresh.
 */
export function nextMembershipPeriod(
  currentEnd: Date | null,
  now: Date,
  days: number,
): { startsAt: Date; endsAt: Date } {
  if (!Number.isInteger(days) || days < 1)
    throw new Error(`a membership period lasts whole days, not ${days}`);
  const startsAt = currentEnd !== null && currentEnd.getTime() > now.getTime() ? currentEnd : now;
  return { startsAt, endsAt: new Date(startsAt.getTime() + days * DAY_MS) };
}

/**
 * Where a member's membership of a line ends: the latest end of its periods that were not
 * cancelled (null: none left). After a period is cancelled the member's end moves back to this, so
 * the next card starts where the last period still standing ends, never after a refunded one.
 */
export function membershipEnd(periods: readonly MembershipPeriod[]): Date | null {
  let end: Date | null = null;
  for (const period of periods) {
    if (period.cancelledAt !== null) continue;
    if (end === null || period.endsAt.getTime() > end.getTime()) end = period.endsAt;
  }
  return end;
}

export const MembershipPeriodState = {
  Upcoming: 'UPCOMING',
  Current: 'CURRENT',
  Ended: 'ENDED',
  Cancelled: 'CANCELLED',
} as const;
export type MembershipPeriodState = (typeof MembershipPeriodState)[keyof typeof MembershipPeriodState];

/** Where a period stands at `now`; a period runs from startsAt inclusive to endsAt exclusive. */
export function membershipPeriodState(period: MembershipPeriod, now: Date): MembershipPeriodState {
  if (period.cancelledAt !== null) return MembershipPeriodState.Cancelled;
  if (now.getTime() < period.startsAt.getTime()) return MembershipPeriodState.Upcoming;
  if (now.getTime() < period.endsAt.getTime()) return MembershipPeriodState.Current;
  return MembershipPeriodState.Ended;
}
