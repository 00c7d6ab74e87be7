import {
  GoodsReturnMode,
  Order,
  OrderStatus,
  RefundBearer,
  RefundReason,
  holdsIssuedGoods,
} from '@eos/domain';
import { ReverseRequestRecord, ShardTransaction } from '@eos/persistence';
import { Clock, ShardRouter } from '@eos/sharding';
import { staffActor } from '../order-actor';
import { cancelOrderWithin } from './order-cancellation';
import { StaffCaller } from './reverse-operation.types';
import { ReverseStore } from './reverse-store';
import { auditSnapshot, orderNotFound } from './reverse-request.state';
import { ReturnedGoods, goodsSnapshot, returnVirtualGoodsWithin } from './virtual-goods-return';
import { VirtualGoodsStore } from './virtual-goods-store';

export interface StaffCancellationOutcome {
  readonly order: Order;
  /** Open requests of the order the cancellation rejected. */
  readonly rejected: readonly ReverseRequestRecord[];
}

/**
 * Customer service cancels an order outright (order.cancel): the order is cancelled (its payment
 * marked for refund, borne by the platform unless staff name a bearer), every open request of the
 * order is rejected and its reservation released, and each change is audited, in one transaction.
 * A fulfilled virtual order's goods are taken back whether used or not (GoodsReturnMode.StaffForce:
 * staff decide, the customer's unused-goods rule does not bind them): an issued voucher is voided, a
 * membership period cancelled even if it runs; a redeemed voucher stays redeemed. The audit keeps
 * the goods as they were and what was taken.
 */
export class StaffCancellation {
  constructor(
    private readonly store: ReverseStore,
    private readonly goods: VirtualGoodsStore,
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
      if (holdsIssuedGoods(before)) {
        const returned = await returnVirtualGoodsWithin(
          this.goods,
          tx,
          before,
          GoodsReturnMode.StaffForce,
          at,
        );
        await this.auditGoods(tx, orderId, staff, returned, reason, at);
      }
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

  private auditGoods(
    tx: ShardTransaction,
    orderId: string,
    staff: StaffCaller,
    returned: ReturnedGoods,
    reason: string,
    at: Date,
  ) {
    return this.store.audit.append(tx, {
      orderId,
      staffId: staff.id,
      action: 'virtual_goods.return',
      target: `order:${orderId}`,
      before: goodsSnapshot(returned.before),
      after: goodsSnapshot(returned.after),
      reason,
      at,
    });
  }
}
