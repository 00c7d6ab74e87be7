import { DomainError, DomainErrorCode } from './domain.error';
import { ForwardAction } from './forward-state-machine';
import { Order, Transition, applyForwardAction } from './order';

/** Facts about an order kept beside the aggregate that some transitions depend on. */
export interface OrderCircumstances {
  /** Reverse requests (cancellation, refund) opened and not yet decided. */
  readonly openReverseRequests: number;
}

/**
 * Decides a forward action on an order as stored: the state machine first, then the rules that
 * need more than the status. COMPLETED ends the after-sale window and no reverse flow may change a
 * completed order, so an order with an open reverse request is not completed, by anyone.
 */
export function decideForwardTransition(
  order: Order,
  action: ForwardAction,
  at: Date,
  circumstances: OrderCircumstances,
): Transition {
  const transition = applyForwardAction(order, action, at);
  if (action === ForwardAction.Complete && circumstances.openReverseRequests > 0) {
    throw new DomainError(
      DomainErrorCode.IllegalTransition,
      `cannot ${action} order ${order.id} while a reverse request is open`,
      { from: order.status, action, openReverseRequests: circumstances.openReverseRequests },
    );
  }
  return transition;
}
