import { Inject, Injectable } from '@nestjs/common';
import { MenuService } from '@eos/catalog';
import { IdempotencyCache } from '@eos/cache';
import { EOS_CONFIG, EosConfig } from '@eos/common';
import {
  DomainError,
  DomainErrorCode,
  VirtualCart,
  VirtualOrder,
  createVirtualOrder,
  eventTypeFor,
  isDomainError,
  orderEventPayload,
  priceVirtualCart,
} from '@eos/domain';
import { OutboxSignal } from '@eos/messaging';
import { UserOrderRepository, VirtualOrderRepository, virtualOrderRequestDigest } from '@eos/persistence';
import { OrderIdGenerator, ShardRouter } from '@eos/sharding';
import { checkIdempotencyKey } from '../orders/checkout.service';
import { CustomerOrder } from '../orders/customer-order';
import { ordersCreated } from '../orders/orders-created.metrics';
import { CreateVirtualOrderDto } from './dto/create-virtual-order.dto';
import { VirtualBusinessLines } from './virtual-business-lines.registry';
import { VirtualExtensions } from './virtual-extensions.service';

// Virtual and delivery orders share the user's idempotency keys (one table), so they share the
// Redis copy's scope too; the request digest tells the two kinds' requests apart.
const SCOPE = 'checkout';

export interface VirtualCheckoutResult {
  readonly order: CustomerOrder;
  /** True when this answer repeats an earlier request with the same key. */
  readonly replayed: boolean;
}

/**
 * Idempotent creation of a virtual order: priced from its line's configuration (held in memory),
 * the seller checked through the catalog cache, then order, extension, history, outbox row and
 * idempotency key written in one statement on the user's shard, as a delivery checkout is.
 */
@Injectable()
export class VirtualCheckoutService {
  private readonly paymentWindowMs: number;

  constructor(
    private readonly lines: VirtualBusinessLines,
    private readonly menus: MenuService,
    private readonly orders: VirtualOrderRepository,
    private readonly userOrders: UserOrderRepository,
    private readonly extensions: VirtualExtensions,
    private readonly ids: OrderIdGenerator,
    private readonly router: ShardRouter,
    private readonly idempotency: IdempotencyCache,
    private readonly outboxSignal: OutboxSignal,
    @Inject(EOS_CONFIG) config: EosConfig,
  ) {
    this.paymentWindowMs = config.PAYMENT_WINDOW_MINUTES * 60_000;
  }

  async create(
    userId: string,
    key: string | undefined,
    request: CreateVirtualOrderDto,
  ): Promise<VirtualCheckoutResult> {
    const idempotencyKey = checkIdempotencyKey(key);
    const requestHash = virtualOrderRequestDigest(request);

    // The seller must exist; its menu is cached, and both lookups leave in one pipelined round trip.
    const seller = this.menus.getMenu(request.merchantId);
    seller.catch(() => undefined); // observed below, unless a replay answers first
    const remembered = await this.idempotency.recall(SCOPE, userId, idempotencyKey);
    if (remembered) return this.replay(userId, remembered.orderId, remembered.requestHash, requestHash);

    let cart: VirtualCart;
    let details: Record<string, unknown>;
    let schemaVersion: number;
    try {
      const registered = this.lines.get(request.businessLine);
      details = this.lines.validateDetails(registered, request.details);
      schemaVersion = registered.line.details.version;
      cart = priceVirtualCart(registered.catalogue, request.merchantId, request.items);
      await seller;
    } catch (error) {
      // A retry of a request that succeeded earlier gets its order even if the configuration
      // changed since; only a key never used before gets the refusal.
      if (isDomainError(error)) await this.replayFromDatabase(userId, idempotencyKey, requestHash);
      throw error;
    }

    const userShard = this.router.userShard(userId);
    const virtualOrder = createVirtualOrder({
      id: this.ids.next(userShard),
      userId,
      cart,
      details,
      schemaVersion,
      now: new Date(),
      paymentWindowMs: this.paymentWindowMs,
    });
    const { order } = virtualOrder;
    const outcome = await this.orders.insert({
      virtualOrder,
      idempotencyKey,
      requestHash,
      eventType: eventTypeFor(order.kind, order.status),
      eventPayload: orderEventPayload(order, null),
    });
    if (outcome.created) {
      ordersCreated.inc({ kind: order.kind });
      this.outboxSignal.notify(userShard);
      // Not awaited: the database key already guards a retry; the Redis copy only speeds one up.
      void this.idempotency.remember(SCOPE, userId, idempotencyKey, { orderId: order.id, requestHash });
      return { order: createdView(virtualOrder), replayed: false };
    }
    const existing = await this.replayFromDatabase(userId, idempotencyKey, requestHash);
    if (!existing) throw new Error('idempotency key conflicted but no record was found');
    return existing;
  }

  private async replayFromDatabase(
    userId: string,
    idempotencyKey: string,
    requestHash: string,
  ): Promise<VirtualCheckoutResult | null> {
    const record = await this.userOrders.findIdempotency(userId, idempotencyKey);
    if (!record) return null;
    const result = await this.replay(userId, record.orderId, record.requestHash, requestHash);
    await this.idempotency.remember(SCOPE, userId, idempotencyKey, record);
    return result;
  }

  private async replay(
    userId: string,
    orderId: string,
    storedHash: string,
    requestHash: string,
  ): Promise<VirtualCheckoutResult> {
    if (storedHash !== requestHash) {
      throw new DomainError(
        DomainErrorCode.IdempotencyKeyReused,
        'this Idempotency-Key was used for a different request',
      );
    }
    // As it is now: a retry after payment sees the order paid (or fulfilled), not as created.
    const order = await this.userOrders.findForUser(orderId, userId);
    if (!order) throw new Error(`idempotency record names order ${orderId}, which is missing`);
    return { order: await this.extensions.attachOne(order), replayed: true };
  }
}

/** A new order as the customer sees it: nothing fulfilled yet. */
function createdView({ order, extension }: VirtualOrder): CustomerOrder {
  return {
    order,
    virtual: {
      orderId: order.id,
      extension,
      fulfilment: null,
      fulfilledAt: null,
      voucher: null,
      membershipPeriod: null,
    },
  };
}
