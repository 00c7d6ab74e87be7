import { Inject, Injectable } from '@nestjs/common';
import { MenuService } from '@eos/catalog';
import { EOS_CONFIG, EosConfig } from '@eos/common';
import {
  DomainError,
  DomainErrorCode,
  Order,
  OrderEventType,
  PricedCart,
  createOrder,
  isDomainError,
  orderEventPayload,
  priceCart,
} from '@eos/domain';
import { OutboxSignal } from '@eos/messaging';
import { UserOrderRepository, checkoutRequestDigest } from '@eos/persistence';
import { OrderIdGenerator, ShardRouter } from '@eos/sharding';
import { CheckoutIdempotency } from './checkout-idempotency';
import { CheckoutDto } from './dto/checkout.dto';
import { ordersCreated } from './orders-created.metrics';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,64}$/;

export interface CheckoutResult {
  readonly order: Order;
  /** True when this answer repeats an earlier checkout with the same key. */
  readonly replayed: boolean;
}

/**
 * Idempotent checkout: prices the cart from the catalog, then writes order, lines, history,
 * outbox row and idempotency key in one statement on the user's shard.
 */
@Injectable()
export class CheckoutService {
  private readonly paymentWindowMs: number;

  constructor(
    private readonly menus: MenuService,
    private readonly orders: UserOrderRepository,
    private readonly ids: OrderIdGenerator,
    private readonly router: ShardRouter,
    private readonly idempotency: CheckoutIdempotency,
    private readonly outboxSignal: OutboxSignal,
    @Inject(EOS_CONFIG) config: EosConfig,
  ) {
    this.paymentWindowMs = config.PAYMENT_WINDOW_MINUTES * 60_000;
  }

  async checkout(userId: string, key: string | undefined, request: CheckoutDto): Promise<CheckoutResult> {
    const idempotencyKey = checkIdempotencyKey(key);
    const requestHash = checkoutRequestDigest(request);

    // Both lookups start in the same tick, so ioredis sends them in one pipelined round trip.
    const menu = this.menus.getMenu(request.merchantId);
    menu.catch(() => undefined); // observed below, unless a replay answers first
    const remembered = await this.idempotency.recall(userId, idempotencyKey);
    if (remembered) return this.idempotency.replay(userId, remembered, requestHash, replayed);

    let cart: PricedCart;
    try {
      cart = priceCart(await menu, request.items, new Date());
    } catch (error) {
      // A retry of a checkout that succeeded earlier must get its order, even if the menu has
      // changed since; only a key never used before gets the pricing refusal.
      if (isDomainError(error))
        await this.idempotency.replayFromDatabase(userId, idempotencyKey, requestHash, replayed);
      throw error;
    }

    const userShard = this.router.userShard(userId);
    const now = new Date();
    const order = createOrder({
      id: this.ids.next(userShard),
      userId,
      cart,
      address: { line1: request.address.line1, city: request.address.city, phone: request.address.phone },
      note: request.note ?? null,
      now,
      paymentWindowMs: this.paymentWindowMs,
    });
    const outcome = await this.orders.insertCheckout({
      order,
      idempotencyKey,
      requestHash,
      eventType: OrderEventType.Created,
      eventPayload: orderEventPayload(order, null),
    });
    if (outcome.created) {
      ordersCreated.inc({ kind: order.kind });
      // Committed: the relay can take the order.created row now rather than at its next poll.
      this.outboxSignal.notify(userShard);
      this.idempotency.remember(userId, idempotencyKey, { orderId: order.id, requestHash });
      return { order, replayed: false };
    }
    const existing = await this.idempotency.replayFromDatabase(userId, idempotencyKey, requestHash, replayed);
    if (!existing) throw new Error('idempotency key conflicted but no record was found');
    return existing;
  }
}

function replayed(order: Order): CheckoutResult {
  return { order, replayed: true };
}

/** The Idempotency-Key header of a checkout, delivery or virtual: required, 8 to 64 safe characters. */
export function checkIdempotencyKey(key: string | undefined): string {
  if (key === undefined || key === '') {
    throw new DomainError(DomainErrorCode.IdempotencyKeyRequired, 'the Idempotency-Key header is required');
  }
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new DomainError(
      DomainErrorCode.ValidationFailed,
      'Idempotency-Key must be 8 to 64 characters of letters, digits, "_", ".", ":" or "-"',
    );
  }
  return key;
}
