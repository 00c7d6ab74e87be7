import { Logger } from '@nestjs/common';
import { RefundBearer, defaultBearer, isRefundBearer, isRefundReason } from '@eos/domain';
import { OpenRefundDue, RefundRecord, RefundRepository } from '@eos/persistence';
import { Clock, OrderIdGenerator, ShardRoute, ShardRouter } from '@eos/sharding';
import { refundsTaken } from './refund.metrics';

// Open dues of one order: one per payment, so a handful at most.
const DUES_PER_ORDER = 20;

/**
 * Turns refunds that became due on the forward side (a paid order rejected or cancelled, a payment
 * for an expired or already paid order) into PENDING refunds for the executor. Driven by
 * order.cancelled events for one order, and by the executor's catch-up pass over a whole shard,
 * which also finds the dues no event announces (a late or duplicate payment). Idempotent: a due
 * is taken at most once, whoever gets there first.
 */
export class RefundIntake {
  private readonly logger = new Logger('refund-intake');

  constructor(
    private readonly repository: RefundRepository,
    private readonly ids: OrderIdGenerator,
    private readonly router: ShardRouter,
    private readonly clock: Clock,
  ) {}

  /** Takes the open dues of one order (an order.cancelled event). */
  async forOrder(orderId: string): Promise<RefundRecord[]> {
    const route = this.router.routeOrder(orderId);
    const taken = await this.take(
      route,
      await this.repository.openDues(route, { orderId, limit: DUES_PER_ORDER }),
    );
    refundsTaken.inc({ path: 'event' }, taken.length);
    return taken;
  }

  /** Takes up to `limit` open dues of a shard, oldest first. */
  async catchUp(route: ShardRoute, limit: number): Promise<RefundRecord[]> {
    const taken = await this.take(route, await this.repository.openDues(route, { limit }));
    refundsTaken.inc({ path: 'catch_up' }, taken.length);
    return taken;
  }

  private async take(route: ShardRoute, dues: readonly OpenRefundDue[]): Promise<RefundRecord[]> {
    if (dues.length === 0) return [];
    // Refund ids carry the order's shard gene, like the orders: routable with no lookup.
    const intakes = dues.map((due) => ({
      refundDueId: due.id,
      orderId: due.orderId,
      refundId: this.ids.next(route.shard),
      bearer: this.bearerOf(due),
    }));
    return this.repository.takeDue(route, intakes, new Date(this.clock.now()));
  }

  private bearerOf(due: OpenRefundDue): RefundBearer {
    if (due.bearer !== null && isRefundBearer(due.bearer)) return due.bearer;
    if (isRefundReason(due.reason)) return defaultBearer(due.reason);
    // A reason this code does not know (written by a newer version): the customer is refunded all
    // the same, and the platform carries it until someone decides otherwise.
    this.logger.warn(`refund due ${due.id} has unknown reason ${due.reason}; the platform bears it`);
    return RefundBearer.Platform;
  }
}
