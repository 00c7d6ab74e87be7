import {
  OrderStatus,
  RefundReason,
  Transition,
  eventTypeFor,
  isRefundDue,
  orderEventPayload,
} from '@eos/domain';
import { AppliedPaymentRecord, FenceToken, OrderMove, TransitionWrite } from '@eos/persistence';

export interface TransitionExtras {
  readonly reason?: string | null;
  /** Required when a transition cancels a paid order: the refund is marked in the same write. */
  readonly refundReason?: RefundReason;
  readonly fence?: FenceToken | null;
  readonly payment?: AppliedPaymentRecord | null;
  readonly skipLocked?: boolean;
  readonly deliveryPartnerId?: string | null;
}

/** What the database writes for one decided transition: row, history entry, outbox event, refund marker. */
export function orderMove(transition: Transition, refundReason: RefundReason | undefined): OrderMove {
  const { before, after } = transition;
  const refundDue = isRefundDue(transition);
  if (refundDue && refundReason === undefined) {
    // A paid order must never be cancelled without its money being marked for return.
    throw new Error(`cancelling paid order ${after.id} needs a refund reason`);
  }
  return {
    orderId: after.id,
    fromStatus: before.status,
    toStatus: after.status,
    expectedVersion: before.version,
    newVersion: after.version,
    // The routing key names the kind: order.paid for delivery, order.virtual.paid for virtual goods.
    eventType: eventTypeFor(after.kind, after.status),
    eventPayload: orderEventPayload(after, before.status),
    refundReason: refundDue ? (refundReason ?? null) : null,
    requireNoOpenReverseRequest: after.status === OrderStatus.Completed,
  };
}

/** One statement's worth of decided transitions, all by `actor` at time `at`. */
export function transitionWrite(
  transitions: readonly Transition[],
  actor: string,
  at: Date,
  extras: TransitionExtras = {},
): TransitionWrite {
  return {
    moves: transitions.map((transition) => orderMove(transition, extras.refundReason)),
    at,
    actor,
    reason: extras.reason ?? null,
    payment: extras.payment ?? null,
    fence: extras.fence ?? null,
    skipLocked: extras.skipLocked ?? false,
    deliveryPartnerId: extras.deliveryPartnerId ?? null,
  };
}
