import { Order, OrderStatus, RefundBearer, RefundReason } from '@eos/domain';
import { ReverseRequestRecord } from '@eos/persistence';
import { Clock, ShardRouter } from '@eos/sharding';
import { staffActor } from '../order-actor';
import { cancelOrderWithin } from './order-cancellation';
import { StaffCaller } from './reverse-operation.types';
import { ReverseStore } from './reverse-store';
import { auditSnapshot, orderNotFound } from './reverse-request.state';

export interface StaffCancellationOutcome {
  readonly order: Order;
  /** Open requests of the order the cancellation rejected. */
  readonly rejected: readonly ReverseRequestRecord[];
}

/**
 * Customer service cancels an order outright (order.cancel): the order is cancelled (its payment
 * marked for refund, borne by the platform unless staff name a bearer), every open request of the
 * order is rejected and its reservation released, and each change is audited, in one transaction.
 */
export class StaffCancellation {
  constructor(
    private readonly store: ReverseStore,
    private readonly router: ShardRouter,
    private readonly clock: Clock,
  ) {}

  cancel(
    orderId: string,
    staff: StaffCaller,
    reason: string,
    bearer: RefundBearer | null = null,
  ): Promise<StaffCancellationOutcome> {
    const route = this.router.routeOrder(orderId);
    return this.store.transactions.run(route, async (tx) => {
      const subject = await this.store.orders.lock(tx, orderId);
      if (!subject) throw orderNotFound(orderId);
      const at = new Date(this.clock.now());
      const before = subject.order;
      const { order, refundDue, closed } = await cancelOrderWithin(this.store, tx, subject, {
        actor: staffActor(staff.id),
        reason,
        refundReason: RefundReason.StaffCancelled,
        bearer,
        closedBy: staffActor(staff.id),
        at,
      });
      await this.store.audit.append(tx, {
        orderId,
        staffId: staff.id,
        action: 'order.cancel',
        target: `order:${orderId}`,
        before: { status: before.status, version: before.version, paidCents: subject.paidCents },
        after: {
          status: OrderStatus.Cancelled,
          version: order.version,
          refundReason: refundDue ? RefundReason.StaffCancelled : null,
          bearer,
        },
        reason,
        at,
      });
      for (const request of closed) {
        await this.store.audit.append(tx, {
          orderId,
          staffId: staff.id,
          action: 'reverse_request.reject',
          target: `reverse_request:${request.before.id}`,
          before: auditSnapshot(request.before),
          after: auditSnapshot(request.after),
          reason,
          at,
        });
      }
      return { order, rejected: closed.map((request) => request.after) };
    });
  }
}
