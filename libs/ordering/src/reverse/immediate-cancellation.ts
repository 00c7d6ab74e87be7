import {
  GoodsReturnMode,
  OrderKind,
  RefundReason,
  ReverseKind,
  ReverseStatus,
  defaultBearer,
  requesterOf,
} from '@eos/domain';
import { ReverseOrderSubject, ReverseRequestRecord, ShardTransaction } from '@eos/persistence';
import { OrderIdGenerator } from '@eos/sharding';
import { OrderActor } from '../order-actor';
import { cancelOrderWithin } from './order-cancellation';
import { ReverseOutcome } from './reverse-operation.types';
import { ReverseStore } from './reverse-store';
import { ReturnedGoods, returnVirtualGoodsWithin } from './virtual-goods-return';
import { VirtualGoodsStore } from './virtual-goods-store';

/** A customer's reverse step that nobody has to decide (customerReversePath IMMEDIATE or RETURN_GOODS). */
export interface ImmediateStep {
  /** The route the customer took (cancellation or refund): the kind the request is recorded as. */
  readonly asked: ReverseKind;
  readonly path: 'IMMEDIATE' | 'RETURN_GOODS';
  readonly reason: string;
  readonly at: Date;
}

// Why an IMMEDIATE step needed nobody's decision, by kind; a Record so a new kind must say it.
const DECIDED_AT_ONCE: Readonly<Record<OrderKind, string>> = {
  [OrderKind.Delivery]: 'cancelled before the merchant accepted',
  [OrderKind.Virtual]: 'cancelled before the goods were issued',
};

function returnedBecause(returned: ReturnedGoods): string {
  switch (returned.taken.take) {
    case 'VOUCHER':
      return `voucher ${returned.taken.code} was unused: voided and refunded in full`;
    case 'MEMBERSHIP_PERIOD':
      return 'the membership period had not started: cancelled and refunded in full';
    case 'NOTHING':
      return 'nothing issued could be used: refunded in full';
  }
}

/**
 * Cancels the customer's order at once inside their step's transaction, the order row already
 * locked: a delivery order the merchant has not accepted, a virtual order not yet fulfilled, or a
 * fulfilled virtual order whose goods are unused (taken back first: the voucher voided, the period
 * cancelled; used goods refuse the step and nothing changes). The cancellation is the shared
 * transition statement (a paid order's refund marked due in full), and the step is recorded as an
 * APPROVED request of the kind the customer asked for, so their history shows it.
 */
export class ImmediateCancellation {
  constructor(
    private readonly store: ReverseStore,
    private readonly goods: VirtualGoodsStore,
    private readonly ids: OrderIdGenerator,
  ) {}

  async within(
    tx: ShardTransaction,
    subject: ReverseOrderSubject,
    step: ImmediateStep,
  ): Promise<ReverseOutcome> {
    const { order } = subject;
    const requester = requesterOf('customer', order.userId);
    let refundReason: RefundReason = RefundReason.CustomerCancelled;
    let decisionReason = DECIDED_AT_ONCE[order.kind];
    if (step.path === 'RETURN_GOODS') {
      const returned = await returnVirtualGoodsWithin(
        this.goods,
        tx,
        order,
        GoodsReturnMode.Customer,
        step.at,
      );
      refundReason = RefundReason.UnusedGoodsReturned;
      decisionReason = returnedBecause(returned);
    }
    // What the cancellation's refund will pay back: everything paid and not yet promised back.
    const outstanding = Math.max(0, subject.paidCents - subject.refundedCents);
    const cancelled = await cancelOrderWithin(this.store, tx, subject, {
      actor: OrderActor.Customer,
      reason: step.reason,
      refundReason,
      bearer: null,
      closedBy: requester,
      at: step.at,
    });
    const request: ReverseRequestRecord = {
      id: this.ids.next(tx.route.shard),
      orderId: order.id,
      userId: order.userId,
      merchantId: order.merchantId,
      kind: step.asked,
      status: ReverseStatus.Approved,
      reason: step.reason,
      // A cancellation carries no amount (its refund is the payment's); a refund names what it returns.
      amountCents: step.asked === ReverseKind.Refund && cancelled.refundDue ? outstanding : 0,
      currency: order.currency,
      lines: [],
      requestedBy: requester,
      firstApprover: null,
      decidedBy: requester,
      decisionReason,
      bearer: cancelled.refundDue ? defaultBearer(refundReason) : null,
      merchantDeadline: null,
      version: 1,
      createdAt: step.at,
      updatedAt: step.at,
    };
    await this.store.requests.insert(tx, request);
    return { request, order: cancelled.order };
  }
}
