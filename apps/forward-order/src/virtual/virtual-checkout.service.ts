import { Inject, Injectable } from '@nestjs/common';
import { MenuService } from '@eos/catalog';
import { EOS_CONFIG, EosConfig } from '@eos/common';
import {
  Order,
  VirtualCart,
  VirtualOrder,
  createVirtualOrder,
  eventTypeFor,
  isDomainError,
  orderEventPayload,
  priceVirtualCart,
} from '@eos/domain';
import { OutboxSignal } from '@eos/messaging';
import { VirtualOrderRepository, virtualOrderRequestDigest } from '@eos/persistence';
import { OrderIdGenerator, ShardRouter } from '@eos/sharding';
import { CheckoutIdempotency } from '../orders/checkout-idempotency';
import { checkIdempotencyKey } from '../orders/checkout.service';
import { CustomerOrder } from '../orders/customer-order';
import { ordersCreated } from '../orders/orders-created.metrics';
import { CreateVirtualOrderDto } from './dto/create-virtual-order.dto';
import { VirtualBusinessLines } from './virtual-business-lines.registry';
import { VirtualExtensions } from './virtual-extensions.service';

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
    private readonly extensions: VirtualExtensions,
    private readonly ids: OrderIdGenerator,
    private readonly router: ShardRouter,
    private readonly idempotency: CheckoutIdempotency,
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
    const remembered = await this.idempotency.recall(userId, idempotencyKey);
    if (remembered) return this.idempotency.replay(userId, remembered, requestHash, this.replayed);

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
      if (isDomainError(error))
        await this.idempotency.replayFromDatabase(userId, idempotencyKey, requestHash, this.replayed);
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
      this.idempotency.remember(userId, idempotencyKey, { orderId: order.id, requestHash });
      return { order: createdView(virtualOrder), replayed: false };
    }
    const existing = await this.idempotency.replayFromDatabase(
      userId,
      idempotencyKey,
      requestHash,
      this.replayed,
    );
    if (!existing) throw new Error('idempotency key conflicted but no record was found');
    return existing;
  }

  /** A replay answers the order as it is now, with its virtual extension. */
  private readonly replayed = async (order: Order): Promise<VirtualCheckoutResult> => ({
    order: await this.extensions.attachOne(order),
    replayed: true,
  });
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
