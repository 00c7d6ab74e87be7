import { Menu, OrderEventType, createOrder, orderEventPayload, priceCart } from '@eos/domain';
import { checkoutRequestDigest, type CheckoutWrite } from '@eos/persistence';
import type { ShardRouter } from '@eos/sharding';
import type { CheckoutRequest } from './checkout-request';

export interface OrderIdSource {
  next(userShard: number): string;
}

/**
 * Builds the checkout write the way CheckoutService does (apps/forward-order/src/orders/
 * checkout.service.ts): price the cart from the menu, create the order with an id on the user's
 * shard, and attach the created event. Menus come from memory instead of the Redis cache: the
 * ceiling is what the SQL alone reaches.
 */
export class CheckoutWriteFactory {
  constructor(
    private readonly menus: ReadonlyMap<string, Menu>,
    private readonly ids: OrderIdSource,
    private readonly router: ShardRouter,
    private readonly paymentWindowMs: number,
  ) {}

  build(request: CheckoutRequest): CheckoutWrite {
    const { body } = request;
    const menu = this.menus.get(body.merchantId);
    if (!menu) throw new Error(`no menu loaded for merchant ${body.merchantId}`);
    const cart = priceCart(menu, body.items, new Date());
    const now = new Date();
    const userId = request.customer.id;
    const order = createOrder({
      id: this.ids.next(this.router.userShard(userId)),
      userId,
      cart,
      address: { line1: body.address.line1, city: body.address.city, phone: body.address.phone },
      note: null,
      now,
      paymentWindowMs: this.paymentWindowMs,
    });
    return {
      order,
      idempotencyKey: request.idempotencyKey,
      requestHash: checkoutRequestDigest(body),
      eventType: OrderEventType.Created,
      eventPayload: orderEventPayload(order, null),
    };
  }
}
