import { Injectable } from '@nestjs/common';
import { MembershipPeriod, MembershipPeriodState, membershipPeriodState } from '@eos/domain';
import { MembershipRepository } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';

export interface MembershipPeriodView {
  orderId: string;
  plan: string;
  startsAt: string;
  endsAt: string;
  cancelledAt: string | null;
  state: MembershipPeriodState;
  /** The period running now. */
  current: boolean;
}

export interface MembershipView {
  businessLine: string;
  /** The member's status in this line now: a member while a period runs. */
  active: boolean;
  /** Where the membership ends, counting upcoming periods; null when nothing runs or is to come. */
  endsAt: string | null;
  current: MembershipPeriodView | null;
  periods: MembershipPeriodView[];
}

/** A customer's memberships: per line, every period bought, the current one flagged. */
@Injectable()
export class MembershipQueryService {
  constructor(
    private readonly memberships: MembershipRepository,
    private readonly router: ShardRouter,
  ) {}

  async mine(userId: string, now: Date = new Date()): Promise<MembershipView[]> {
    const periods = await this.memberships.periodsOf(this.router.routeUser(userId), userId);
    const byLine = new Map<string, MembershipPeriod[]>();
    for (const period of periods)
      byLine.set(period.businessLine, [...(byLine.get(period.businessLine) ?? []), period]);
    return [...byLine].map(([businessLine, linePeriods]) => {
      const views = linePeriods.map((period) => presentPeriod(period, now));
      const current = views.find((view) => view.current) ?? null;
      const live = views.filter(
        (view) =>
          view.state === MembershipPeriodState.Current || view.state === MembershipPeriodState.Upcoming,
      );
      return {
        businessLine,
        active: current !== null,
        endsAt: live.length === 0 ? null : live.map((view) => view.endsAt).sort()[live.length - 1],
        current,
        periods: views,
      };
    });
  }
}

function presentPeriod(period: MembershipPeriod, now: Date): MembershipPeriodView {
  const state = membershipPeriodState(period, now);
  return {
    orderId: period.orderId,
    plan: period.plan,
    startsAt: period.startsAt.toISOString(),
    endsAt: period.endsAt.toISOString(),
    cancelledAt: period.cancelledAt?.toISOString() ?? null,
    state,
    current: state === MembershipPeriodState.Current,
  };
}
