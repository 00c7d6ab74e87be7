import { DomainError, DomainErrorCode } from './domain.error';
import { OrderKind } from './order-kind';
import { OrderStatus } from './order-status';

/**
 * Everything that can happen to an order on the forward side. Each action names the actor's
 * intent; the machine of the order's kind decides whether it is legal from the current status.
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
  /** Virtual orders: the business line's handler issued the goods. */
  Fulfil: 'FULFIL',
} as const;

export type ForwardAction = (typeof ForwardAction)[keyof typeof ForwardAction];

type TransitionTable = Readonly<Partial<Record<OrderStatus, Partial<Record<ForwardAction, OrderStatus>>>>>;

/** Delivery orders. A status a kind never reaches has no row: every action from it is refused. */
const TRANSITIONS: TransitionTable = {
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

/**
 * Virtual goods (breakfast vouchers, membership cards): no merchant acceptance, no delivery. A
 * FULFILLED order may still be cancelled: the reverse flow refunds goods that were not used, and
 * its own rules (assertVirtualRefundable) decide whether they were.
 */
const VIRTUAL_TRANSITIONS: TransitionTable = {
  [OrderStatus.Created]: {
    [ForwardAction.Pay]: OrderStatus.Paid,
    [ForwardAction.Expire]: OrderStatus.Cancelled,
    [ForwardAction.Cancel]: OrderStatus.Cancelled,
  },
  [OrderStatus.Paid]: {
    [ForwardAction.Fulfil]: OrderStatus.Fulfilled,
    [ForwardAction.Cancel]: OrderStatus.Cancelled,
  },
  [OrderStatus.Fulfilled]: {
    [ForwardAction.Complete]: OrderStatus.Completed,
    [ForwardAction.Cancel]: OrderStatus.Cancelled,
  },
  [OrderStatus.Completed]: {},
  [OrderStatus.Cancelled]: {},
};

const TRANSITIONS_OF_KIND: Readonly<Record<OrderKind, TransitionTable>> = {
  [OrderKind.Delivery]: TRANSITIONS,
  [OrderKind.Virtual]: VIRTUAL_TRANSITIONS,
};

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/**
 * The status `action` leads to from `from`, or undefined when the machine forbids it. Values that
 * arrive untyped at runtime (a route parameter, a database row) are looked up as own keys only, so
 * an unknown status or an action such as `toString` is refused instead of reaching the prototype.
 */
function targetIn(table: TransitionTable, from: OrderStatus, action: ForwardAction): OrderStatus | undefined {
  const row = hasOwn(table, from) ? table[from] : undefined;
  return row !== undefined && hasOwn(row, action) ? row[action] : undefined;
}

function tableOf(kind: OrderKind): TransitionTable {
  // An unknown kind (a corrupt row) has no legal move rather than borrowing another kind's.
  return hasOwn(TRANSITIONS_OF_KIND, kind) ? TRANSITIONS_OF_KIND[kind] : {};
}

function illegal(from: OrderStatus, action: ForwardAction): DomainError {
  return new DomainError(DomainErrorCode.IllegalTransition, `cannot ${action} an order that is ${from}`, {
    from,
    action,
  });
}

/** A delivery order's next status; see forwardTargetFor for any kind. */
export function forwardTarget(from: OrderStatus, action: ForwardAction): OrderStatus | undefined {
  return targetIn(TRANSITIONS, from, action);
}

export function nextForwardStatus(from: OrderStatus, action: ForwardAction): OrderStatus {
  const to = forwardTarget(from, action);
  if (to === undefined) throw illegal(from, action);
  return to;
}

export function allowedForwardActions(from: OrderStatus): ForwardAction[] {
  return allowedForwardActionsFor(OrderKind.Delivery, from);
}

/** The status `action` leads an order of `kind` to from `from`, or undefined when its machine forbids it. */
export function forwardTargetFor(
  kind: OrderKind,
  from: OrderStatus,
  action: ForwardAction,
): OrderStatus | undefined {
  return targetIn(tableOf(kind), from, action);
}

export function nextForwardStatusFor(kind: OrderKind, from: OrderStatus, action: ForwardAction): OrderStatus {
  const to = forwardTargetFor(kind, from, action);
  if (to === undefined) throw illegal(from, action);
  return to;
}

export function allowedForwardActionsFor(kind: OrderKind, from: OrderStatus): ForwardAction[] {
  const table = tableOf(kind);
  const row = hasOwn(table, from) ? table[from] : undefined;
  return row === undefined ? [] : (Object.keys(row) as ForwardAction[]);
}

/** The statuses an order of `kind` can be in, in its table's order. */
export function forwardStatusesOf(kind: OrderKind): OrderStatus[] {
  return Object.keys(tableOf(kind)) as OrderStatus[];
}
