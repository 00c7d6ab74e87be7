import {
  DomainError,
  DomainErrorCode,
  ForwardAction,
  Order,
  RefundReason,
  Transition,
  decideForwardTransition,
  isDomainError,
} from '@eos/domain';
import { FenceToken, OrderTransitionRepository, TransitionSubject } from '@eos/persistence';
import { Clock, ShardRoute, ShardRouter } from '@eos/sharding';
import { FencedOutError } from './fenced-out.error';
import { OrderActor } from './order-actor';
import { orderTransitionRetries, orderTransitions } from './ordering.metrics';
import { transitionWrite } from './transition-write';

/**
 * Attempts per call. A lost version race is decided again on fresh data; the second decision
 * almost always settles it (the other actor's move made this one illegal, or left it legal).
 * Only a stream of other writes to the same order exhausts this, and then VERSION_CONFLICT.
 */
const MAX_ATTEMPTS = 5;

export interface TransitionOptions {
  readonly reason?: string | null;
  readonly refundReason?: RefundReason;
  readonly fence?: FenceToken;
  /** The version the caller saw; another version is VERSION_CONFLICT instead of a new decision. */
  readonly expectedVersion?: number;
  /** Whether the caller may see the order at all; if not, ORDER_NOT_FOUND as if it did not exist. */
  readonly visibleTo?: (order: Order) => boolean;
  /** Refuses, with a domain error, a caller who may see the order but not act on it. */
  readonly authorize?: (order: Order) => void;
  /**
   * Only the rider of this delivery partner may move the order: FORBIDDEN unless it is assigned to
   * the partner, and the write itself re-checks the assignment, so a re-assignment between the
   * check and the write moves nothing (the next attempt then answers FORBIDDEN).
   */
  readonly deliveryPartnerId?: string;
}

/** Restricts a rider's command to the orders assigned to the rider's delivery partner. */
export interface DeliveryScope {
  readonly deliveryPartnerId?: string;
}

export interface DueResult {
  /** The orders this call moved, as they are now. */
  readonly moved: readonly Order[];
  /** Orders left as they were: moved by someone else first, or no longer allowed to move. */
  readonly passed: number;
}

/** Restricts a merchant's command to the merchant's own orders, when the caller is a merchant. */
export interface MerchantScope {
  readonly merchantId?: string;
}

function merchantOnly(scope: MerchantScope | undefined): Pick<TransitionOptions, 'authorize'> {
  const merchantId = scope?.merchantId;
  if (merchantId === undefined) return {};
  return {
    authorize: (order) => {
      if (order.merchantId !== merchantId) {
        throw new DomainError(DomainErrorCode.Forbidden, `order ${order.id} belongs to another merchant`);
      }
    },
  };
}

/**
 * The forward transitions of an order, shared by every app that moves orders (forward-order's
 * customer API and sweeps, osc-blink's partner bridge). Each one reads the order from its user
 * shard, lets the domain decide, and writes row, history and outbox event in one statement
 * guarded by the version it decided on.
 */
export class OrderTransitions {
  constructor(
    private readonly repository: OrderTransitionRepository,
    private readonly router: ShardRouter,
    private readonly clock: Clock,
  ) {}

  async apply(
    orderId: string,
    action: ForwardAction,
    actor: OrderActor,
    options: TransitionOptions = {},
  ): Promise<Order> {
    const route = this.router.routeOrder(orderId);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const subject = await this.repository.load(route, orderId);
      if (!subject || (options.visibleTo && !options.visibleTo(subject.order))) {
        throw new DomainError(DomainErrorCode.OrderNotFound, `order ${orderId} not found`);
      }
      const { order } = subject;
      options.authorize?.(order);
      if (options.deliveryPartnerId !== undefined) {
        const partner = await this.repository.assignedPartner(route, orderId);
        if (partner !== options.deliveryPartnerId) {
          throw new DomainError(
            DomainErrorCode.Forbidden,
            `order ${orderId} is not assigned to delivery partner ${options.deliveryPartnerId}`,
          );
        }
      }
      if (options.expectedVersion !== undefined && order.version !== options.expectedVersion) {
        throw new DomainError(
          DomainErrorCode.VersionConflict,
          `order ${orderId} is at version ${order.version}, not ${options.expectedVersion}`,
          { version: order.version },
        );
      }
      const at = new Date(this.clock.now());
      let transition: Transition;
      try {
        transition = decideForwardTransition(order, action, at, subject);
      } catch (error) {
        if (isDomainError(error)) orderTransitions.inc({ action, outcome: 'refused' });
        throw error;
      }
      const result = await this.repository.apply(route, transitionWrite([transition], actor, at, options));
      if (result.fencedOut) throw new FencedOutError(options.fence?.name ?? 'unknown fence');
      if (result.moved.length === 1) {
        orderTransitions.inc({ action, outcome: 'applied' });
        return transition.after;
      }
      // Another write moved the order since we read it: read it again and decide again.
      orderTransitionRetries.inc({ action });
    }
    orderTransitions.inc({ action, outcome: 'conflict' });
    throw new DomainError(DomainErrorCode.VersionConflict, `order ${orderId} kept changing; try again`);
  }

  /**
   * Moves many orders of one shard, as a sweep read them, in one statement. Each is decided by the
   * domain on the row as read and written only if still at that version; an order another
   * transaction holds right now is left for the next pass. Nothing is retried: an order that moved
   * meanwhile is no longer due, or is due again on the next pass.
   */
  async applyDue(
    route: ShardRoute,
    subjects: readonly TransitionSubject[],
    action: ForwardAction,
    actor: OrderActor,
    options: Pick<TransitionOptions, 'reason' | 'refundReason' | 'fence'> = {},
  ): Promise<DueResult> {
    const at = new Date(this.clock.now());
    const decided: Transition[] = [];
    let refused = 0;
    for (const subject of subjects) {
      try {
        decided.push(decideForwardTransition(subject.order, action, at, subject));
      } catch (error) {
        if (!isDomainError(error)) throw error;
        refused += 1;
      }
    }
    const result = await this.repository.apply(
      route,
      transitionWrite(decided, actor, at, { ...options, skipLocked: true }),
    );
    if (result.fencedOut) throw new FencedOutError(options.fence?.name ?? 'unknown fence');
    const moved = new Set(result.moved);
    orderTransitions.inc({ action, outcome: 'applied' }, moved.size);
    if (refused > 0) orderTransitions.inc({ action, outcome: 'refused' }, refused);
    return {
      moved: decided.filter((transition) => moved.has(transition.after.id)).map(({ after }) => after),
      passed: decided.length - moved.size + refused,
    };
  }

  accept(orderId: string, scope?: MerchantScope): Promise<Order> {
    return this.apply(orderId, ForwardAction.Accept, OrderActor.Merchant, merchantOnly(scope));
  }

  /** The merchant refuses a paid order: it is cancelled and its payment marked for refund. */
  reject(orderId: string, reason: string | null, scope?: MerchantScope): Promise<Order> {
    return this.apply(orderId, ForwardAction.Reject, OrderActor.Merchant, {
      ...merchantOnly(scope),
      reason,
      refundReason: RefundReason.MerchantRejected,
    });
  }

  markReady(orderId: string, scope?: MerchantScope): Promise<Order> {
    return this.apply(orderId, ForwardAction.MarkReady, OrderActor.Merchant, merchantOnly(scope));
  }

  /** The rider has the order: DELIVERING. With a scope, only the assigned partner's rider may. */
  pickUp(orderId: string, scope?: DeliveryScope): Promise<Order> {
    return this.apply(orderId, ForwardAction.PickUp, OrderActor.Rider, {
      deliveryPartnerId: scope?.deliveryPartnerId,
    });
  }

  deliver(orderId: string, scope?: DeliveryScope): Promise<Order> {
    return this.apply(orderId, ForwardAction.Deliver, OrderActor.Rider, {
      deliveryPartnerId: scope?.deliveryPartnerId,
    });
  }

  /** The customer closes their own delivered order; anyone else's is ORDER_NOT_FOUND. */
  async confirmReceipt(orderId: string, userId: string): Promise<Order> {
    const route = this.router.routeOrder(orderId);
    if (route.shard !== this.router.userShard(userId)) {
      throw new DomainError(DomainErrorCode.OrderNotFound, `order ${orderId} not found`);
    }
    return this.apply(orderId, ForwardAction.Complete, OrderActor.Customer, {
      visibleTo: (order) => order.userId === userId,
      reason: 'receipt confirmed',
    });
  }

  /** An unpaid order reached its payment deadline. */
  expire(orderId: string): Promise<Order> {
    return this.apply(orderId, ForwardAction.Expire, OrderActor.Expiry, {
      reason: 'payment deadline passed',
    });
  }

  /** A paid order the merchant did not accept in time: rejected, cancelled, marked for refund. */
  autoReject(orderId: string): Promise<Order> {
    return this.apply(orderId, ForwardAction.Reject, OrderActor.AcceptanceDeadline, {
      reason: 'not accepted in time',
      refundReason: RefundReason.AcceptanceTimeout,
    });
  }

  /** The after-sale window closed with no open reverse request; written under the sweep's fence. */
  complete(orderId: string, fence: FenceToken): Promise<Order> {
    return this.apply(orderId, ForwardAction.Complete, OrderActor.Completion, {
      fence,
      reason: 'after-sale window closed',
    });
  }
}
