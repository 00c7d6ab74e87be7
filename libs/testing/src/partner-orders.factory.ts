import { randomBytes, randomInt } from 'node:crypto';
import { hashPartnerSecret, newPartnerSecret, PartnerCredentials } from '@eos/common';
import {
  DISPATCHABLE_STATUSES,
  Order,
  OrderEventType,
  PaymentStatus,
  PricedCart,
  createOrder,
  orderEventPayload,
} from '@eos/domain';
import { OrderTransitions, PaymentNotifications } from '@eos/ordering';
import {
  DeliveryAssignmentRepository,
  OrderTransitionRepository,
  PartnerCredentialRepository,
  PaymentNotificationRepository,
  ShardDataSources,
  UserOrderRepository,
} from '@eos/persistence';
import { OrderIdGenerator, RedisWorkerLease, ShardRouter, systemClock } from '@eos/sharding';
import type Redis from 'ioredis';
import { newUserId } from './order.factory';

/**
 * A merchant id no demo merchant and no other test uses: the merchant dimension and its feed are
 * keyed by merchant, so a test that owns its merchant sees only its own orders.
 */
export function newMerchantId(): string {
  return String(randomInt(1_000_000, 2 ** 47));
}

export function newDeliveryPartnerId(): string {
  return String(randomInt(1_000_000, 2 ** 47));
}

/** A new partner credential, stored as `npm run partner -- create` stores one. */
export async function createPartner(
  credentials: PartnerCredentialRepository,
  binding: { readonly merchantIds: readonly string[] } | { readonly deliveryPartnerId: string },
  limits: { readonly ratePerSecond?: number; readonly burst?: number } = {},
): Promise<PartnerCredentials> {
  const secret = newPartnerSecret();
  const record = await credentials.create({
    kind: 'merchantIds' in binding ? 'MERCHANT' : 'DELIVERY',
    merchantIds: 'merchantIds' in binding ? binding.merchantIds : [],
    deliveryPartnerId: 'deliveryPartnerId' in binding ? binding.deliveryPartnerId : null,
    secretSha256: hashPartnerSecret(secret),
    ratePerSecond: limits.ratePerSecond ?? null,
    burst: limits.burst ?? null,
    label: 'test',
  });
  return { partnerId: record.id, secret };
}

function cartOf(merchantId: string): PricedCart {
  const lines = [
    {
      itemId: '101',
      name: 'Beef noodles',
      unitPriceCents: 1800,
      quantity: 2,
      lineTotalCents: 3600,
      packagingFeeCents: 100,
    },
    {
      itemId: '102',
      name: 'Cucumber salad',
      unitPriceCents: 900,
      quantity: 1,
      lineTotalCents: 900,
      packagingFeeCents: 50,
    },
  ];
  return {
    merchantId,
    lines,
    subtotalCents: 4500,
    packagingFeeCents: 150,
    deliveryFeeCents: 500,
    discountCents: 0,
    totalCents: 5150,
    currency: 'CNY',
  };
}

/**
 * Orders in the states the partner bridge acts on, made through the same libraries the apps use:
 * the checkout write of the user dimension, the payment notifications and transitions of
 * @eos/ordering, the dispatch of the delivery assignments. Ids come from a leased worker number.
 */
export class PartnerOrderFactory {
  private constructor(
    private readonly lease: RedisWorkerLease,
    private readonly ids: OrderIdGenerator,
    private readonly router: ShardRouter,
    private readonly orders: UserOrderRepository,
    private readonly payments: PaymentNotifications,
    readonly transitions: OrderTransitions,
    private readonly assignments: DeliveryAssignmentRepository,
  ) {}

  static async start(
    redis: Redis,
    sources: ShardDataSources,
    router: ShardRouter,
  ): Promise<PartnerOrderFactory> {
    const lease = new RedisWorkerLease({ redis });
    await lease.acquire();
    const transitionRepository = new OrderTransitionRepository(sources);
    return new PartnerOrderFactory(
      lease,
      new OrderIdGenerator({ lease, clock: systemClock }),
      router,
      new UserOrderRepository(sources, router),
      new PaymentNotifications(
        transitionRepository,
        new PaymentNotificationRepository(sources),
        router,
        systemClock,
      ),
      new OrderTransitions(transitionRepository, router, systemClock),
      new DeliveryAssignmentRepository(sources, router),
    );
  }

  /** An unpaid order of `merchantId`, checked out as forward-order checks out. */
  async created(merchantId: string, userId = newUserId()): Promise<Order> {
    const order = createOrder({
      id: this.ids.next(this.router.userShard(userId)),
      userId,
      cart: cartOf(merchantId),
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

  /** Pays an order as the provider's notification would; returns when the payment is committed. */
  async pay(order: Order): Promise<void> {
    const receipt = await this.payments.receive({
      notificationId: `ntf-${randomBytes(10).toString('hex')}`,
      orderId: order.id,
      amountCents: order.totalCents,
      status: PaymentStatus.Succeeded,
      paidAt: new Date(),
    });
    if (receipt.outcome !== 'APPLIED') throw new Error(`payment of ${order.id} was ${receipt.outcome}`);
  }

  async paid(merchantId: string): Promise<Order> {
    const order = await this.created(merchantId);
    await this.pay(order);
    return order;
  }

  /** Paid and accepted by its merchant. */
  async accepted(merchantId: string): Promise<Order> {
    const order = await this.paid(merchantId);
    return this.transitions.accept(order.id, { merchantId });
  }

  /** Hands an order to a delivery partner (the dispatch `npm run partner -- assign` does). */
  async assign(orderId: string, deliveryPartnerId: string): Promise<void> {
    const outcome = await this.assignments.assign(
      orderId,
      deliveryPartnerId,
      new Date(),
      DISPATCHABLE_STATUSES,
    );
    if (outcome.kind !== 'assigned') throw new Error(`could not assign ${orderId}: ${outcome.kind}`);
  }

  async close(): Promise<void> {
    await this.lease.release();
  }
}
