import fc from 'fast-check';
import { DomainError, DomainErrorCode } from './domain.error';
import {
  ForwardAction,
  allowedForwardActions,
  allowedForwardActionsFor,
  forwardStatusesOf,
  forwardTarget,
  forwardTargetFor,
  nextForwardStatus,
  nextForwardStatusFor,
} from './forward-state-machine';
import { ORDER_KINDS, Order, OrderKind, applyForwardAction, createOrder } from './order';
import { ORDER_STATUSES, OrderStatus, TERMINAL_STATUSES } from './order-status';
import { PricedCart } from './pricing';
import { priceVirtualCart } from './virtual/virtual-catalogue';
import { createVirtualOrder } from './virtual/virtual-order';

const ACTIONS: readonly ForwardAction[] = Object.values(ForwardAction);

/** The whole forward machine, written out independently of the implementation. */
const EXPECTED: Readonly<Record<OrderStatus, Partial<Record<ForwardAction, OrderStatus>>>> = {
  CREATED: { PAY: 'PAID', EXPIRE: 'CANCELLED', CANCEL: 'CANCELLED' },
  PAID: { ACCEPT: 'ACCEPTED', REJECT: 'CANCELLED', CANCEL: 'CANCELLED' },
  ACCEPTED: { MARK_READY: 'READY', PICK_UP: 'DELIVERING', CANCEL: 'CANCELLED' },
  READY: { PICK_UP: 'DELIVERING', CANCEL: 'CANCELLED' },
  DELIVERING: { DELIVER: 'DELIVERED' },
  DELIVERED: { COMPLETE: 'COMPLETED' },
  COMPLETED: {},
  CANCELLED: {},
  // Delivery orders are never fulfilled: that is a virtual order's status.
  FULFILLED: {},
};

/** The statuses a delivery order lives through: every status but the virtual-only FULFILLED. */
const DELIVERY_STATUSES = ORDER_STATUSES.filter((status) => status !== OrderStatus.Fulfilled);

const TABLE: [OrderStatus, ForwardAction, OrderStatus | undefined][] = ORDER_STATUSES.flatMap((from) =>
  ACTIONS.map((action): [OrderStatus, ForwardAction, OrderStatus | undefined] => [
    from,
    action,
    EXPECTED[from][action],
  ]),
);

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error: unknown) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

function walk(actions: readonly ForwardAction[], from: OrderStatus = OrderStatus.Created): OrderStatus {
  return actions.reduce<OrderStatus>((status, action) => nextForwardStatus(status, action), from);
}

/** Every status reachable from `from` in zero or more legal steps. */
function reachableFrom(from: OrderStatus): Set<OrderStatus> {
  const seen = new Set<OrderStatus>([from]);
  const queue = [from];
  for (let status = queue.shift(); status !== undefined; status = queue.shift()) {
    for (const action of allowedForwardActions(status)) {
      const to = nextForwardStatus(status, action);
      if (!seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return seen;
}

const CART: PricedCart = {
  merchantId: 'm-1',
  lines: [
    {
      itemId: '1',
      name: 'Beef noodles',
      unitPriceCents: 1200,
      quantity: 2,
      lineTotalCents: 2400,
      packagingFeeCents: 200,
    },
  ],
  subtotalCents: 2400,
  packagingFeeCents: 200,
  deliveryFeeCents: 500,
  discountCents: 0,
  totalCents: 3100,
  currency: 'CNY',
};

const CREATED_AT = new Date('2024-05-01T12:00:00.000Z');

function newOrder(): Order {
  return createOrder({
    id: '1001',
    userId: '42',
    cart: CART,
    address: { line1: '1 Long Street', city: 'Shanghai', phone: '13800000000' },
    note: null,
    now: CREATED_AT,
    paymentWindowMs: 15 * 60_000,
  });
}

describe('forward state machine', () => {
  describe('the transition table', () => {
    it.each(TABLE.filter(([, , to]) => to !== undefined))('%s --%s--> %s', (from, action, to) => {
      expect(forwardTarget(from, action)).toBe(to);
      expect(nextForwardStatus(from, action)).toBe(to);
    });

    it.each(TABLE.filter(([, , to]) => to === undefined))('%s --%s--> refused', (from, action) => {
      expect(forwardTarget(from, action)).toBeUndefined();
      const error = refusal(() => nextForwardStatus(from, action));
      expect(error.code).toBe(DomainErrorCode.IllegalTransition);
      expect(error.details).toEqual({ from, action });
      expect(error.message).toContain(from);
      expect(error.message).toContain(action);
    });

    it.each(ORDER_STATUSES.map((status) => [status]))('lists the allowed actions from %s', (status) => {
      expect([...allowedForwardActions(status)].sort()).toEqual(Object.keys(EXPECTED[status]).sort());
    });

    it('returns a fresh list of allowed actions that callers may change', () => {
      const actions = allowedForwardActions(OrderStatus.Created);
      actions.length = 0;
      expect(allowedForwardActions(OrderStatus.Created)).toHaveLength(3);
    });
  });

  describe('paths', () => {
    it('delivers straight from ACCEPTED: CREATED -> PAID -> ACCEPTED -> DELIVERING -> DELIVERED -> COMPLETED', () => {
      expect(walk(['PAY', 'ACCEPT', 'PICK_UP', 'DELIVER', 'COMPLETE'])).toBe(OrderStatus.Completed);
    });

    it('delivers through READY: CREATED -> PAID -> ACCEPTED -> READY -> DELIVERING -> DELIVERED -> COMPLETED', () => {
      expect(walk(['PAY', 'ACCEPT', 'MARK_READY', 'PICK_UP', 'DELIVER', 'COMPLETE'])).toBe(
        OrderStatus.Completed,
      );
    });

    it('expires an unpaid order, and only an unpaid one', () => {
      expect(walk(['EXPIRE'])).toBe(OrderStatus.Cancelled);
      for (const status of ORDER_STATUSES.filter((s) => s !== OrderStatus.Created)) {
        expect(forwardTarget(status, ForwardAction.Expire)).toBeUndefined();
      }
    });

    it('lets the merchant reject a paid order, and only a paid one', () => {
      expect(walk(['PAY', 'REJECT'])).toBe(OrderStatus.Cancelled);
      for (const status of ORDER_STATUSES.filter((s) => s !== OrderStatus.Paid)) {
        expect(forwardTarget(status, ForwardAction.Reject)).toBeUndefined();
      }
    });

    it('cancels before pickup, never once the order is on its way', () => {
      expect(walk(['CANCEL'])).toBe(OrderStatus.Cancelled);
      expect(walk(['PAY', 'CANCEL'])).toBe(OrderStatus.Cancelled);
      expect(walk(['PAY', 'ACCEPT', 'CANCEL'])).toBe(OrderStatus.Cancelled);
      expect(walk(['PAY', 'ACCEPT', 'MARK_READY', 'CANCEL'])).toBe(OrderStatus.Cancelled);
      for (const status of [OrderStatus.Delivering, OrderStatus.Delivered, OrderStatus.Completed]) {
        expect(refusal(() => nextForwardStatus(status, ForwardAction.Cancel)).code).toBe(
          DomainErrorCode.IllegalTransition,
        );
      }
    });

    it('never accepts an unpaid order nor pays twice', () => {
      expect(refusal(() => walk(['ACCEPT'])).code).toBe(DomainErrorCode.IllegalTransition);
      expect(refusal(() => walk(['PAY', 'PAY'])).code).toBe(DomainErrorCode.IllegalTransition);
      expect(refusal(() => walk(['PAY', 'ACCEPT', 'PICK_UP', 'COMPLETE'])).code).toBe(
        DomainErrorCode.IllegalTransition,
      );
    });
  });

  describe('shape of the graph', () => {
    it('reaches every delivery status from CREATED, and never FULFILLED', () => {
      expect([...reachableFrom(OrderStatus.Created)].sort()).toEqual([...DELIVERY_STATUSES].sort());
      expect(forwardStatusesOf(OrderKind.Delivery).sort()).toEqual([...DELIVERY_STATUSES].sort());
    });

    it('has exactly COMPLETED and CANCELLED as terminal statuses, with no way out', () => {
      expect([...TERMINAL_STATUSES].sort()).toEqual([OrderStatus.Cancelled, OrderStatus.Completed]);
      for (const status of TERMINAL_STATUSES) {
        expect(allowedForwardActions(status)).toEqual([]);
        expect(reachableFrom(status)).toEqual(new Set([status]));
      }
    });

    it('lets every other status move on and eventually end in a terminal status', () => {
      for (const status of DELIVERY_STATUSES.filter((s) => !TERMINAL_STATUSES.has(s))) {
        expect(allowedForwardActions(status).length).toBeGreaterThan(0);
        const reachable = [...reachableFrom(status)];
        expect(reachable.some((s) => TERMINAL_STATUSES.has(s))).toBe(true);
      }
    });

    it('leads into COMPLETED only from DELIVERED', () => {
      const into = TABLE.filter(([, , to]) => to === OrderStatus.Completed).map(([from]) => from);
      expect(new Set(into)).toEqual(new Set([OrderStatus.Delivered]));
    });

    it('never goes back to CREATED', () => {
      expect(TABLE.filter(([, , to]) => to === OrderStatus.Created)).toEqual([]);
    });
  });

  describe('untyped values from outside', () => {
    const unknownAction = (name: string): ForwardAction => name as ForwardAction;
    const unknownStatus = (name: string): OrderStatus => name as OrderStatus;

    it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'pay', ''])(
      'refuses the action %j as an illegal transition',
      (name) => {
        expect(forwardTarget(OrderStatus.Created, unknownAction(name))).toBeUndefined();
        expect(refusal(() => nextForwardStatus(OrderStatus.Created, unknownAction(name))).code).toBe(
          DomainErrorCode.IllegalTransition,
        );
      },
    );

    it.each(['LOST', 'toString', '__proto__', 'created'])(
      'refuses anything from the unknown status %j',
      (name) => {
        expect(forwardTarget(unknownStatus(name), ForwardAction.Pay)).toBeUndefined();
        expect(allowedForwardActions(unknownStatus(name))).toEqual([]);
        expect(refusal(() => nextForwardStatus(unknownStatus(name), ForwardAction.Pay)).code).toBe(
          DomainErrorCode.IllegalTransition,
        );
      },
    );
  });

  describe('properties over random sequences of actions applied to an order', () => {
    /**
     * A step is either any action at all (often illegal) or, to reach deep into the graph, one of
     * the actions the current status allows, picked by index. Allowed steps weigh three times
     * as much: at even odds, 300 runs missed COMPLETED (six allowed steps in a row, each the
     * right one) for about one seed in twenty; at 3:1 with 500 runs, none of 200 seeds did.
     */
    const stepArb = fc.oneof(
      {
        arbitrary: fc.record({ kind: fc.constant('any' as const), action: fc.constantFrom(...ACTIONS) }),
        weight: 1,
      },
      { arbitrary: fc.record({ kind: fc.constant('allowed' as const), pick: fc.nat() }), weight: 3 },
    );
    type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

    function choose(step: Step, status: OrderStatus): ForwardAction {
      if (step.kind === 'any') return step.action;
      const allowed = allowedForwardActions(status);
      return allowed.length === 0
        ? ForwardAction.Complete
        : (allowed[step.pick % allowed.length] ?? 'COMPLETE');
    }

    it('keeps every invariant of the aggregate', () => {
      const reached = new Set<OrderStatus>();
      fc.assert(
        fc.property(fc.array(stepArb, { maxLength: 30 }), (steps) => {
          let order = deepFreeze(newOrder());
          let applied = 0;
          const visited: OrderStatus[] = [order.status];
          steps.forEach((step, index) => {
            const action = choose(step, order.status);
            const at = new Date(CREATED_AT.getTime() + (index + 1) * 1000);
            const before = order;
            const snapshot = structuredClone(before);
            const wasTerminal = TERMINAL_STATUSES.has(before.status);
            let transition: ReturnType<typeof applyForwardAction> | undefined;
            try {
              transition = applyForwardAction(before, action, at);
            } catch (error: unknown) {
              // An illegal action is refused with ILLEGAL_TRANSITION and changes nothing.
              expect(error).toBeInstanceOf(DomainError);
              expect((error as DomainError).code).toBe(DomainErrorCode.IllegalTransition);
              expect(forwardTarget(before.status, action)).toBeUndefined();
              expect(before).toEqual(snapshot);
              return;
            }
            // A terminal status refuses every action.
            expect(wasTerminal).toBe(false);
            const { after } = transition;
            expect(transition.before).toBe(before);
            expect(transition.action).toBe(action);
            expect(before).toEqual(snapshot);
            expect(ORDER_STATUSES).toContain(after.status);
            expect(after.status).toBe(forwardTarget(before.status, action));
            expect(after.version).toBe(before.version + 1);
            expect(after.updatedAt).toEqual(at);
            if (after.status === OrderStatus.Completed) expect(before.status).toBe(OrderStatus.Delivered);
            // Nothing but status, version and updatedAt changes.
            expect(after).toEqual({ ...before, status: after.status, version: after.version, updatedAt: at });
            applied += 1;
            order = deepFreeze(after);
            visited.push(order.status);
          });
          // The version counts exactly the applied actions.
          expect(order.version).toBe(1 + applied);
          // Once terminal, always terminal, and every action from it is refused.
          const firstTerminal = visited.findIndex((status) => TERMINAL_STATUSES.has(status));
          if (firstTerminal >= 0) {
            expect(visited.slice(firstTerminal + 1)).toEqual([]);
            for (const action of ACTIONS) {
              expect(refusal(() => applyForwardAction(order, action, CREATED_AT)).code).toBe(
                DomainErrorCode.IllegalTransition,
              );
            }
          }
          for (const status of visited) reached.add(status);
        }),
        { numRuns: 500 },
      );
      // The generator does explore the whole graph, terminal statuses included.
      expect([...reached].sort()).toEqual([...DELIVERY_STATUSES].sort());
    });

    it('reaches COMPLETED only by a path through DELIVERED', () => {
      let completed = 0;
      fc.assert(
        fc.property(fc.array(stepArb, { maxLength: 12 }), (steps) => {
          const path: OrderStatus[] = [OrderStatus.Created];
          for (const step of steps) {
            const current = path[path.length - 1] ?? OrderStatus.Created;
            const to = forwardTarget(current, choose(step, current));
            if (to !== undefined) path.push(to);
          }
          if (path.includes(OrderStatus.Completed)) completed += 1;
          const completedAt = path.indexOf(OrderStatus.Completed);
          if (completedAt >= 0) {
            expect(path[completedAt - 1]).toBe(OrderStatus.Delivered);
            expect(path.slice(0, completedAt)).toEqual(
              expect.arrayContaining([OrderStatus.Paid, OrderStatus.Accepted, OrderStatus.Delivering]),
            );
          }
          expect(path.filter((status) => status === OrderStatus.Completed).length).toBeLessThanOrEqual(1);
        }),
        { numRuns: 500 },
      );
      expect(completed).toBeGreaterThan(0);
    });
  });
});

describe('forward state machine per kind', () => {
  type Table = Readonly<Partial<Record<OrderStatus, Partial<Record<ForwardAction, OrderStatus>>>>>;

  /** The virtual machine, written out independently of the implementation. */
  const EXPECTED_VIRTUAL: Table = {
    CREATED: { PAY: 'PAID', EXPIRE: 'CANCELLED', CANCEL: 'CANCELLED' },
    PAID: { FULFIL: 'FULFILLED', CANCEL: 'CANCELLED' },
    FULFILLED: { COMPLETE: 'COMPLETED', CANCEL: 'CANCELLED' },
    COMPLETED: {},
    CANCELLED: {},
  };
  const EXPECTED_OF: Readonly<Record<OrderKind, Table>> = {
    DELIVERY: EXPECTED,
    VIRTUAL: EXPECTED_VIRTUAL,
  };
  const DELIVERY_ONLY: readonly ForwardAction[] = ['ACCEPT', 'REJECT', 'MARK_READY', 'PICK_UP', 'DELIVER'];

  function virtualOrder(): Order {
    const cart = priceVirtualCart(
      {
        businessLine: 'breakfast',
        currency: 'CNY',
        products: [{ sku: 'set-a', name: 'Set A', unitPriceCents: 800 }],
      },
      '7',
      [{ sku: 'set-a', quantity: 2 }],
    );
    return createVirtualOrder({
      id: '2002',
      userId: '42',
      cart,
      details: {},
      schemaVersion: 1,
      now: CREATED_AT,
      paymentWindowMs: 15 * 60_000,
    }).order;
  }

  it('agrees with the tables written out, for every kind, status and action', () => {
    for (const kind of ORDER_KINDS) {
      for (const from of ORDER_STATUSES) {
        for (const action of ACTIONS) {
          const expected = EXPECTED_OF[kind][from]?.[action];
          expect([kind, from, action, forwardTargetFor(kind, from, action)]).toEqual([
            kind,
            from,
            action,
            expected,
          ]);
          if (expected === undefined) {
            const error = refusal(() => nextForwardStatusFor(kind, from, action));
            expect([error.code, error.details]).toEqual([
              DomainErrorCode.IllegalTransition,
              { from, action },
            ]);
          } else {
            expect(nextForwardStatusFor(kind, from, action)).toBe(expected);
          }
        }
        expect(allowedForwardActionsFor(kind, from).sort()).toEqual(
          Object.keys(EXPECTED_OF[kind][from] ?? {}).sort(),
        );
      }
    }
  });

  it('leaves the delivery machine exactly what forwardTarget always described', () => {
    for (const from of ORDER_STATUSES) {
      for (const action of ACTIONS) {
        expect(forwardTargetFor(OrderKind.Delivery, from, action)).toBe(forwardTarget(from, action));
      }
      expect(allowedForwardActionsFor(OrderKind.Delivery, from)).toEqual(allowedForwardActions(from));
    }
  });

  it('takes a virtual order CREATED -> PAID -> FULFILLED -> COMPLETED, with no delivery step anywhere', () => {
    const path = (['PAY', 'FULFIL', 'COMPLETE'] as const).reduce<OrderStatus[]>(
      (statuses, action) => [
        ...statuses,
        nextForwardStatusFor(OrderKind.Virtual, statuses[statuses.length - 1], action),
      ],
      [OrderStatus.Created],
    );
    expect(path).toEqual(['CREATED', 'PAID', 'FULFILLED', 'COMPLETED']);
    for (const from of ORDER_STATUSES) {
      for (const action of DELIVERY_ONLY)
        expect(forwardTargetFor(OrderKind.Virtual, from, action)).toBeUndefined();
      expect(forwardTargetFor(OrderKind.Delivery, from, ForwardAction.Fulfil)).toBeUndefined();
    }
    expect(forwardStatusesOf(OrderKind.Virtual).sort()).toEqual(
      ['CANCELLED', 'COMPLETED', 'CREATED', 'FULFILLED', 'PAID'].sort(),
    );
  });

  it('lets a fulfilled virtual order be cancelled (a refund of unused goods), never a completed one', () => {
    expect(forwardTargetFor(OrderKind.Virtual, OrderStatus.Fulfilled, ForwardAction.Cancel)).toBe(
      'CANCELLED',
    );
    expect(forwardTargetFor(OrderKind.Virtual, OrderStatus.Completed, ForwardAction.Cancel)).toBeUndefined();
    expect(forwardTargetFor(OrderKind.Virtual, OrderStatus.Fulfilled, ForwardAction.Expire)).toBeUndefined();
  });

  it('refuses every action to an order of an unknown kind', () => {
    const unknownKind = (name: string): OrderKind => name as OrderKind;
    for (const name of ['GIFT', 'toString', '__proto__', 'virtual']) {
      for (const from of ORDER_STATUSES) {
        expect(allowedForwardActionsFor(unknownKind(name), from)).toEqual([]);
        expect(refusal(() => nextForwardStatusFor(unknownKind(name), from, ForwardAction.Pay)).code).toBe(
          DomainErrorCode.IllegalTransition,
        );
      }
    }
  });

  it("applies the machine of the order's kind: a virtual order is fulfilled, a delivery order is not", () => {
    const paid = applyForwardAction(virtualOrder(), ForwardAction.Pay, CREATED_AT).after;
    expect(applyForwardAction(paid, ForwardAction.Fulfil, CREATED_AT).after.status).toBe(
      OrderStatus.Fulfilled,
    );
    expect(refusal(() => applyForwardAction(paid, ForwardAction.Accept, CREATED_AT)).code).toBe(
      DomainErrorCode.IllegalTransition,
    );
    const deliveryPaid = applyForwardAction(newOrder(), ForwardAction.Pay, CREATED_AT).after;
    expect(refusal(() => applyForwardAction(deliveryPaid, ForwardAction.Fulfil, CREATED_AT)).code).toBe(
      DomainErrorCode.IllegalTransition,
    );
  });

  it('keeps every invariant over random sequences of actions applied to a virtual order', () => {
    const virtualStatuses = new Set(forwardStatusesOf(OrderKind.Virtual));
    const reached = new Set<OrderStatus>();
    const stepArb = fc.oneof(
      fc.record({ kind: fc.constant('any' as const), action: fc.constantFrom(...ACTIONS) }),
      fc.record({ kind: fc.constant('allowed' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 12 }), (steps) => {
        let order = deepFreeze(virtualOrder());
        const path: OrderStatus[] = [order.status];
        steps.forEach((step, index) => {
          const allowed = allowedForwardActionsFor(OrderKind.Virtual, order.status);
          const action =
            step.kind === 'any'
              ? step.action
              : (allowed[step.pick % Math.max(allowed.length, 1)] ?? 'COMPLETE');
          const at = new Date(CREATED_AT.getTime() + (index + 1) * 1000);
          const snapshot = structuredClone(order);
          let after: Order;
          try {
            after = applyForwardAction(order, action, at).after;
          } catch (error: unknown) {
            expect((error as DomainError).code).toBe(DomainErrorCode.IllegalTransition);
            expect(forwardTargetFor(OrderKind.Virtual, order.status, action)).toBeUndefined();
            expect(order).toEqual(snapshot);
            return;
          }
          expect(TERMINAL_STATUSES.has(order.status)).toBe(false);
          expect(virtualStatuses.has(after.status)).toBe(true);
          expect(after).toEqual({
            ...order,
            status: after.status,
            version: order.version + 1,
            updatedAt: at,
          });
          order = deepFreeze(after);
          path.push(order.status);
        });
        // Fulfilled only once paid, completed only once fulfilled; a terminal status ends the path.
        const fulfilledAt = path.indexOf(OrderStatus.Fulfilled);
        if (fulfilledAt >= 0) expect(path[fulfilledAt - 1]).toBe(OrderStatus.Paid);
        const completedAt = path.indexOf(OrderStatus.Completed);
        if (completedAt >= 0) expect(path[completedAt - 1]).toBe(OrderStatus.Fulfilled);
        const firstTerminal = path.findIndex((status) => TERMINAL_STATUSES.has(status));
        if (firstTerminal >= 0) expect(path.slice(firstTerminal + 1)).toEqual([]);
        expect(order.version).toBe(path.length);
        for (const status of path) reached.add(status);
      }),
      { numRuns: 300 },
    );
    expect([...reached].sort()).toEqual([...virtualStatuses].sort());
  });
});
