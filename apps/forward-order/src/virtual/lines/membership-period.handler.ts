import { Injectable } from '@nestjs/common';
import { Order, VirtualOrderExtension, membershipDaysOf, nextMembershipPeriod } from '@eos/domain';
import { MembershipRepository, ShardTransaction } from '@eos/persistence';
import { FulfilmentResult, VirtualFulfilmentHandler } from '../virtual-business-line';

/**
 * Membership cards: the order's days start a period now, or extend the member's membership of the
 * line from its current end. The member's row is locked meanwhile, so two purchases chain.
 */
@Injectable()
export class MembershipPeriodHandler implements VirtualFulfilmentHandler {
  constructor(private readonly memberships: MembershipRepository) {}

  async fulfil(
    order: Order,
    extension: VirtualOrderExtension,
    tx: ShardTransaction,
  ): Promise<FulfilmentResult> {
    const at = order.updatedAt;
    const currentEnd = await this.memberships.lockCurrentEnd(tx, order.userId, extension.businessLine, at);
    const { startsAt, endsAt } = nextMembershipPeriod(currentEnd, at, membershipDaysOf(extension.items));
    await this.memberships.addPeriod(
      tx,
      {
        orderId: order.id,
        userId: order.userId,
        businessLine: extension.businessLine,
        plan: extension.items.map((line) => line.sku).join('+'),
        startsAt,
        endsAt,
        cancelledAt: null,
      },
      at,
    );
    return { periodStartsAt: startsAt.toISOString(), periodEndsAt: endsAt.toISOString() };
  }
}
