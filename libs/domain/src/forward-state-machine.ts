import { DomainError, DomainErrorCode } from './domain.error';
import { OrderStatus } from './order-status';

/**
 * Everything that can happen to a delivery order on the forward side. Each action names the
 * actor's intent; the machine decides whether it is legal from the current status.
 */
export const ForwardAction = {
  Pay: 'PAY',
  Expire: 'EXPIRE',
  Accept: 'ACCEPT',
  Reject: 'REJECT',
  MarkReady: 'MARK_READY',
  PickUp: 'PICK_UP',
  Deliver: 'DELIVER',
  Complete: 'COMPLETE',
  Cancel: 'CANCEL',
} as const;

export type ForwardAction = (typeof ForwardAction)[keyof typeof ForwardAction];

const TRANSITIONS: Readonly<Record<OrderStatus, Partial<Record<ForwardAction, OrderStatus>>>> = {
  [OrderStatus.Created]: {
    [ForwardAction.Pay]: OrderStatus.Paid,
    [ForwardAction.Expire]: OrderStatus.Cancelled,
    [ForwardAction.Cancel]: OrderStatus.Cancelled,
  },
  [OrderStatus.Paid]: {
    [ForwardAction.Accept]: OrderStatus.Accepted,
    [ForwardAction.Reject]: OrderStatus.Cancelled,
    [ForwardAction.Cancel]: OrderStatus.Cancelled,
  },
  [OrderStatus.Accepted]: {
    [ForwardAction.MarkReady]: OrderStatus.Ready,
    [ForwardAction.PickUp]: OrderStatus.Delivering,
    [ForwardAction.Cancel]: OrderStatus.Cancelled,
  },
  [OrderStatus.Ready]: {
    [ForwardAction.PickUp]: OrderStatus.Delivering,
    [ForwardAction.Cancel]: OrderStatus.Cancelled,
  },
  [OrderStatus.Delivering]: {
    [ForwardAction.Deliver]: OrderStatus.Delivered,
  },
  [OrderStatus.Delivered]: {
    [ForwardAction.Complete]: OrderStatus.Completed,
  },
  [OrderStatus.Completed]: {},
  [OrderStatus.Cancelled]: {},
};

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/**
 * The status `action` leads to from `from`, or undefined when the machine forbids it. Values that
 * arrive untyped at runtime (a route parameter, a database row) are looked up as own keys only, so
 * an unknown status or an action such as `toString` is refused instead of reaching the prototype.
 */
export function forwardTarget(from: OrderStatus, action: ForwardAction): OrderStatus | undefined {
  if (!hasOwn(TRANSITIONS, from)) return undefined;
  const row = TRANSITIONS[from];
  return hasOwn(row, action) ? row[action] : undefined;
}

export function nextForwardStatus(from: OrderStatus, action: ForwardAction): OrderStatus {
  const to = forwardTarget(from, action);
  if (to === undefined) {
    throw new DomainError(DomainErrorCode.IllegalTransition, `cannot ${action} an order that is ${from}`, {
      from,
      action,
    });
  }
  return to;
}

export function allowedForwardActions(from: OrderStatus): ForwardAction[] {
  return hasOwn(TRANSITIONS, from) ? (Object.keys(TRANSITIONS[from]) as ForwardAction[]) : [];
}
