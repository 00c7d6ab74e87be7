import { randomBytes } from 'node:crypto';
import {
  Order,
  OrderEventType,
  PaymentStatus,
  PricedCart,
  createOrder,
  orderEventPayload,
} from '@eos/domain';
import {
  CustomerCancellations,
  ImmediateCancellation,
  OrderTransitions,
  PaymentNotifications,
  ReverseOutcome,
  ReverseStore,
  VirtualGoodsStore,
} from '@eos/ordering';
import {
  AuditLogRepository,
  MembershipRepository,
  OrderRefundRepository,
  OrderTransitionRepository,
  PaymentNotificationRepository,
  ReverseOrderRepository,
  ReverseRequestRepository,
  ShardDataSources,
  ShardTransactions,
  UserOrderRepository,
  VirtualGoodsStateReader,
  VoucherRepository,
} from '@eos/persistence';
import { OrderIdGenerator, RedisWorkerLease, ShardRouter, systemClock } from '@eos/sharding';
import type Redis from 'ioredis';
import { newUserId } from './order.factory';
import { OrderTrail, readOrderTrail } from './order-trail';
import { newMerchantId } from './partner-orders.factory';

/**
 * Three lines, packaging and delivery fees and a discount, so that refunds at frozen prices have
 * shares to split: subtotal 6000, fees 150 + 500, discount 1000, total 5650 (times `scale`).
 */
export function reverseTestCart(merchantId: string, scale = 1): PricedCart {
  const line = (itemId: string, name: string, unitPriceCents: number, quantity: number) => ({
    itemId,
    name,
    unitPriceCents: unitPriceCents * scale,
    quantity,
    lineTotalCents: unitPriceCents * scale * quantity,
    packagingFeeCents: 50 * scale,
  });
  return {
    merchantId,
    lines: [
      line('9001', 'Beef noodles', 1800, 2),
      line('9002', 'Cucumber salad', 900, 1),
      line('9003', 'Bun', 500, 3),
    ],
    subtotalCents: 6000 * scale,
    packagingFeeCents: 150 * scale,
    deliveryFeeCents: 500 * scale,
    discountCents: 1000 * scale,
    totalCents: 5650 * scale,
    currency: 'CNY',
  };
}

export interface ReverseOrderOptions {
  readonly userId?: string;
  readonly merchantId?: string;
  /** Multiplies every price: 10 makes a 56,500-cent order, above the default two-person threshold. */
  readonly scale?: number;
}

/** The money an order's reverse flow keeps, read straight from its user shard. */
export interface OrderMoney {
  readonly paidCents: number;
  readonly refundedCents: number;
  readonly openReverseRequests: number;
  /** line_no -> [quantity, refunded_quantity]. */
  readonly lines: Record<number, [number, number]>;
  /** Sum of the amounts of the order's refund requests that are open or approved. */
  readonly reservedByRequests: number;
  /** Sum of the refunds rows created from requests. */
  readonly refundRowsCents: number;
  readonly refundRows: number;
}

/**
 * Orders in every state the reverse flow acts on, made through the libraries the apps use
 * (checkout write, payment notifications, transitions), with their ids from a leased worker
 * number; plus direct reads and time shifts of the reverse tables for assertions.
 */
export class ReverseOrderFactory {
  private constructor(
    private readonly lease: RedisWorkerLease,
    private readonly ids: OrderIdGenerator,
    private readonly router: ShardRouter,
    private readonly sources: ShardDataSources,
    private readonly orders: UserOrderRepository,
    private readonly payments: PaymentNotifications,
    readonly transitions: OrderTransitions,
    private readonly cancellations: CustomerCancellations,
  ) {}

  static async start(
    redis: Redis,
    sources: ShardDataSources,
    router: ShardRouter,
  ): Promise<ReverseOrderFactory> {
    const lease = new RedisWorkerLease({ redis });
    await lease.acquire();
    const transitionRepository = new OrderTransitionRepository(sources);
    const ids = new OrderIdGenerator({ lease, clock: systemClock });
    const store = new ReverseStore(
      new ShardTransactions(sources),
      new ReverseOrderRepository(),
      new ReverseRequestRepository(sources),
      new OrderRefundRepository(sources),
      new AuditLogRepository(sources, router.map),
    );
    const vouchers = new VoucherRepository();
    const memberships = new MembershipRepository(sources);
    const goods = new VirtualGoodsStore(
      new VirtualGoodsStateReader(vouchers, memberships),
      vouchers,
      memberships,
    );
    return new ReverseOrderFactory(
      lease,
      ids,
      router,
      sources,
      new UserOrderRepository(sources, router),
      new PaymentNotifications(
        transitionRepository,
        new PaymentNotificationRepository(sources),
        router,
        systemClock,
      ),
      new OrderTransitions(transitionRepository, router, systemClock),
      new CustomerCancellations(
        store,
        new ImmediateCancellation(store, goods, ids),
        ids,
        router,
        systemClock,
        {
          cancellationDecisionMs: 5 * 60_000,
          twoPersonThresholdCents: 20_000,
        },
      ),
    );
  }

  /** The customer's cancellation through the shared operation (for apps without the HTTP route). */
  requestCancellation(order: Order, reason = 'changed my mind'): Promise<ReverseOutcome> {
    return this.cancellations.request(order.id, order.userId, reason);
  }

  /** An unpaid order, checked out as forward-order checks out. */
  async created(options: ReverseOrderOptions = {}): Promise<Order> {
    const userId = options.userId ?? newUserId();
    const order = createOrder({
      id: this.ids.next(this.router.userShard(userId)),
      userId,
      cart: reverseTestCart(options.merchantId ?? newMerchantId(), options.scale),
      address: { line1: '88 Test Road', city: 'Shanghai', phone: '13800000000' },
      note: null,
      now: new Date(),
      paymentWindowMs: 15 * 60_000,
    });
    await this.orders.insertCheckout({
      order,
      idempotencyKey: `test-${randomBytes(12).toString('hex')}`,
      requestHash: randomBytes(16).toString('hex'),
      eventType: OrderEventType.Created,
      eventPayload: orderEventPayload(order, null),
    });
    return order;
  }

  async paid(options: ReverseOrderOptions = {}): Promise<Order> {
    const order = await this.created(options);
    const receipt = await this.payments.receive({
      notificationId: `ntf-${randomBytes(10).toString('hex')}`,
      orderId: order.id,
      amountCents: order.totalCents,
      status: PaymentStatus.Succeeded,
      paidAt: new Date(),
    });
    if (receipt.outcome !== 'APPLIED') throw new Error(`payment of ${order.id} was ${receipt.outcome}`);
    return (await this.orders.findForUser(order.id, order.userId)) ?? order;
  }

  async accepted(options: ReverseOrderOptions = {}): Promise<Order> {
    const order = await this.paid(options);
    return this.transitions.accept(order.id);
  }

  async delivered(options: ReverseOrderOptions = {}): Promise<Order> {
    const order = await this.accepted(options);
    await this.transitions.markReady(order.id);
    await this.transitions.pickUp(order.id);
    return this.transitions.deliver(order.id);
  }

  async completed(options: ReverseOrderOptions = {}): Promise<Order> {
    const order = await this.delivered(options);
    return this.transitions.confirmReceipt(order.id, order.userId);
  }

  /** Everything the user shard holds about the order's forward life. */
  async trail(orderId: string): Promise<OrderTrail> {
    const trail = await readOrderTrail(this.sources, this.router, orderId);
    if (!trail) throw new Error(`order ${orderId} not found`);
    return trail;
  }

  /** Moves a request's merchant deadline into the past, as if the merchant's time had run out. */
  async expireMerchantDeadline(requestId: string): Promise<void> {
    const { database, schema } = this.router.routeOrder(requestId);
    await this.sources
      .get(database)
      .query(
        `UPDATE ${schema}.reverse_requests SET merchant_deadline = now() - interval '1 minute' WHERE id = $1`,
        [requestId],
      );
  }

  async money(orderId: string): Promise<OrderMoney> {
    const { database, schema } = this.router.routeOrder(orderId);
    const rows: {
      paid_cents: string;
      refunded_cents: string;
      open_reverse_requests: number;
      lines: { lineNo: number; quantity: number; refunded: number }[];
      reserved: string;
      refund_rows_cents: string;
      refund_rows: number;
    }[] = await this.sources.get(database).query(
      `SELECT o.paid_cents, o.refunded_cents, o.open_reverse_requests,
         (SELECT json_agg(json_build_object('lineNo', i.line_no, 'quantity', i.quantity, 'refunded', i.refunded_quantity))
            FROM ${schema}.order_items i WHERE i.order_id = o.id) AS lines,
         (SELECT COALESCE(sum(r.amount_cents), 0) FROM ${schema}.reverse_requests r
            WHERE r.order_id = o.id AND r.kind = 'REFUND' AND r.status <> 'REJECTED') AS reserved,
         (SELECT COALESCE(sum(f.amount_cents), 0) FROM ${schema}.refunds f
            WHERE f.order_id = o.id AND f.reverse_request_id IS NOT NULL) AS refund_rows_cents,
         (SELECT count(*)::int FROM ${schema}.refunds f WHERE f.order_id = o.id) AS refund_rows
       FROM ${schema}.orders o WHERE o.id = $1`,
      [orderId],
    );
    const row = rows[0];
    if (!row) throw new Error(`order ${orderId} not found`);
    return {
      paidCents: Number(row.paid_cents),
      refundedCents: Number(row.refunded_cents),
      openReverseRequests: row.open_reverse_requests,
      lines: Object.fromEntries(row.lines.map((line) => [line.lineNo, [line.quantity, line.refunded]])),
      reservedByRequests: Number(row.reserved),
      refundRowsCents: Number(row.refund_rows_cents),
      refundRows: row.refund_rows,
    };
  }

  /** The order's audit rows, oldest first, as stored. */
  async auditRows(orderId: string): Promise<
    {
      staffId: string;
      action: string;
      target: string;
      before: unknown;
      after: unknown;
      reason: string | null;
    }[]
  > {
    const { database, schema } = this.router.routeOrder(orderId);
    return this.sources.get(database).query(
      `SELECT staff_id::text AS "staffId", action, target, before, after, reason
       FROM ${schema}.audit_log WHERE order_id = $1 ORDER BY id`,
      [orderId],
    );
  }

  /** The refunds_due rows of the order (the forward side's refund markers). */
  async refundsDue(
    orderId: string,
  ): Promise<{ reason: string; amountCents: number; bearer: string | null }[]> {
    const { database, schema } = this.router.routeOrder(orderId);
    const rows: { reason: string; amount_cents: string; bearer: string | null }[] = await this.sources
      .get(database)
      .query(
        `SELECT reason, amount_cents, bearer FROM ${schema}.refunds_due WHERE order_id = $1 ORDER BY id`,
        [orderId],
      );
    return rows.map((row) => ({
      reason: row.reason,
      amountCents: Number(row.amount_cents),
      bearer: row.bearer,
    }));
  }

  async close(): Promise<void> {
    await this.lease.release();
  }
}
