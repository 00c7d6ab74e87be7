import 'reflect-metadata';
import { EOS_CONFIG, EosConfig, mintToken } from '@eos/common';
import { SHARD_MAP, ShardDataSources } from '@eos/persistence';
import { ShardMap, ShardRouter, decodeOrderId } from '@eos/sharding';
import {
  CheckoutBody,
  RunningApp,
  checkoutBody,
  NO_ROWS,
  countRowsOfUser,
  http,
  newIdempotencyKey,
  newUserId,
  startHttpApp,
} from '@eos/testing';
import { ForwardOrderModule } from '../src/forward-order.module';

interface OrderBody {
  id: string;
  userId: string;
  status: string;
  totalCents: number;
  subtotalCents: number;
  items: { itemId: string; quantity: number; unitPriceCents: number; lineTotalCents: number }[];
}

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
}

describe('forward-order checkout (e2e, real Postgres and Redis)', () => {
  let running: RunningApp;
  let config: EosConfig;
  let router: ShardRouter;
  let sources: ShardDataSources;
  let map: ShardMap;

  const token = (userId: string): string => mintToken(config.JWT_SECRET, 'customer', userId);
  /** `key` null sends no Idempotency-Key header at all. */
  const checkout = (userId: string, body: unknown, key: string | null = newIdempotencyKey()) =>
    http<OrderBody & ErrorBody>('POST', `${running.url}/v1/orders`, {
      token: token(userId),
      body,
      headers: key === null ? {} : { 'idempotency-key': key },
    });

  beforeAll(async () => {
    running = await startHttpApp(ForwardOrderModule, 'forward-order');
    config = running.app.get<EosConfig>(EOS_CONFIG);
    router = running.app.get(ShardRouter);
    sources = running.app.get(ShardDataSources);
    map = running.app.get<ShardMap>(SHARD_MAP);
  });

  afterAll(async () => {
    await running.close();
  });

  it('creates an order whose id carries the user shard, stored in that shard schema of the mapped database', async () => {
    const userId = newUserId();
    const response = await checkout(userId, checkoutBody(7, 3));
    expect(response.status).toBe(201);
    const order = response.body;
    expect(order.status).toBe('CREATED');
    expect(order.userId).toBe(userId);
    const shard = Number(BigInt(userId) % 120n);
    expect(decodeOrderId(BigInt(order.id)).shard).toBe(shard);

    const route = router.routeUser(userId);
    expect(route.schema).toBe(`u${String(shard).padStart(3, '0')}`);
    const rows: { id: string; total_cents: string }[] = await sources
      .get(route.database)
      .query(`SELECT id::text AS id, total_cents FROM ${route.schema}.orders WHERE id = $1`, [order.id]);
    expect(rows).toEqual([{ id: order.id, total_cents: String(order.totalCents) }]);
    // Nowhere else: no other database holds that schema's copy of the order.
    for (const [database, source] of sources.entries()) {
      if (database === route.database) continue;
      const schemas: { n: number }[] = await source.query(
        'SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1',
        [route.schema],
      );
      expect(schemas[0].n).toBe(0);
    }
    const outbox: { event_type: string }[] = await sources
      .get(route.database)
      .query(`SELECT event_type FROM ${route.schema}.outbox WHERE order_id = $1`, [order.id]);
    expect(outbox).toEqual([{ event_type: 'order.created' }]);
  });

  it('prices on the server: client-sent prices are refused and totals come from the catalog', async () => {
    const userId = newUserId();
    const body = { ...checkoutBody(12, 1), totalCents: 1 };
    const refused = await checkout(userId, body);
    expect(refused.status).toBe(400);
    const menu = await http<{ items: { itemId: string; priceCents: number }[] }>(
      'GET',
      `${running.url}/v1/merchants/12/menu`,
    );
    const item = menu.body.items[0];
    const created = await checkout(userId, {
      merchantId: '12',
      items: [{ itemId: item.itemId, quantity: 2 }],
      address: { line1: 'a', city: 'b', phone: '13800000000' },
    });
    expect(created.status).toBe(201);
    expect(created.body.items[0].unitPriceCents).toBe(item.priceCents);
    expect(created.body.subtotalCents).toBe(item.priceCents * 2);
  });

  it('makes exactly one order from 50 concurrent identical checkouts with one key', async () => {
    const userId = newUserId();
    const key = newIdempotencyKey();
    const body = checkoutBody(33, 2);
    const responses = await Promise.all(Array.from({ length: 50 }, () => checkout(userId, body, key)));
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(201));
    const ids = new Set(responses.map((response) => response.body.id));
    expect(ids.size).toBe(1);
    const route = router.routeUser(userId);
    const rows: { n: number }[] = await sources
      .get(route.database)
      .query(`SELECT count(*)::int AS n FROM ${route.schema}.orders WHERE user_id = $1`, [userId]);
    expect(rows[0].n).toBe(1);
  });

  it('refuses the same key with another body and writes nothing', async () => {
    const userId = newUserId();
    const key = newIdempotencyKey();
    const first = await checkout(userId, checkoutBody(44, 1), key);
    expect(first.status).toBe(201);
    const before = await countRowsOfUser(map, sources, userId);
    const second = await checkout(userId, checkoutBody(45, 1), key);
    expect(second.status).toBe(422);
    expect(second.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await countRowsOfUser(map, sources, userId)).toEqual(before);
    const again = await checkout(userId, checkoutBody(44, 1), key);
    expect(again.status).toBe(422);
  });

  it('replays the same order for the same key and body, sequentially too', async () => {
    const userId = newUserId();
    const key = newIdempotencyKey();
    const body = checkoutBody(55, 2);
    const first = await checkout(userId, body, key);
    const second = await checkout(userId, body, key);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
  });

  describe('refusals change nothing', () => {
    const valid = (): CheckoutBody => checkoutBody(77, 1);
    const cases: [string, () => unknown, number, string, (string | null)?][] = [
      [
        'unknown item',
        () => ({ ...valid(), items: [{ itemId: '99999999', quantity: 1 }] }),
        422,
        'ITEM_NOT_FOUND',
      ],
      [
        'item of another merchant',
        () => ({ ...valid(), items: [{ itemId: '7801', quantity: 1 }] }),
        422,
        'ITEM_NOT_FOUND',
      ],
      ['unknown merchant', () => ({ ...valid(), merchantId: '98765432' }), 404, 'MERCHANT_NOT_FOUND'],
      [
        'quantity 0',
        () => ({ ...valid(), items: [{ itemId: '7701', quantity: 0 }] }),
        400,
        'QUANTITY_OUT_OF_RANGE',
      ],
      [
        'quantity 100',
        () => ({ ...valid(), items: [{ itemId: '7701', quantity: 100 }] }),
        400,
        'QUANTITY_OUT_OF_RANGE',
      ],
      [
        'fractional quantity',
        () => ({ ...valid(), items: [{ itemId: '7701', quantity: 1.5 }] }),
        400,
        'QUANTITY_OUT_OF_RANGE',
      ],
      [
        'quantity as string',
        () => ({ ...valid(), items: [{ itemId: '7701', quantity: '2' }] }),
        400,
        'QUANTITY_OUT_OF_RANGE',
      ],
      ['empty cart', () => ({ ...valid(), items: [] }), 400, 'CART_EMPTY'],
      [
        'duplicate item',
        () => ({
          ...valid(),
          items: [
            { itemId: '7701', quantity: 1 },
            { itemId: '7701', quantity: 2 },
          ],
        }),
        400,
        'DUPLICATE_ITEM',
      ],
      [
        '51 items',
        () => ({
          ...valid(),
          items: Array.from({ length: 51 }, (_, n) => ({ itemId: String(7701 + n), quantity: 1 })),
        }),
        400,
        'VALIDATION_FAILED',
      ],
      ['malformed merchant id', () => ({ ...valid(), merchantId: '12abc' }), 400, 'INVALID_ID'],
      ['numeric merchant id', () => ({ ...valid(), merchantId: 77 }), 400, 'INVALID_ID'],
      [
        'malformed item id',
        () => ({ ...valid(), items: [{ itemId: '-5', quantity: 1 }] }),
        400,
        'INVALID_ID',
      ],
      ['unknown field', () => ({ ...valid(), couponCode: 'FREE' }), 400, 'VALIDATION_FAILED'],
      [
        'client price',
        () => ({ ...valid(), items: [{ itemId: '7701', quantity: 1, priceCents: 1 }] }),
        400,
        'VALIDATION_FAILED',
      ],
      ['note too long', () => ({ ...valid(), note: 'x'.repeat(201) }), 400, 'VALIDATION_FAILED'],
      [
        'missing address',
        () => ({ merchantId: '77', items: [{ itemId: '7701', quantity: 1 }] }),
        400,
        'VALIDATION_FAILED',
      ],
      ['array body', () => [valid()], 400, 'VALIDATION_FAILED'],
      ['missing key', () => valid(), 400, 'IDEMPOTENCY_KEY_REQUIRED', null],
      ['short key', () => valid(), 400, 'VALIDATION_FAILED', 'short'],
    ];

    it.each(cases)('%s', async (_name, body, status, code, ...key) => {
      const userId = newUserId();
      const response = await checkout(userId, body(), key.length ? key[0] : newIdempotencyKey());
      expect(response.status).toBe(status);
      expect(response.body.code).toBe(code);
      expect(response.body.statusCode).toBe(status);
      expect(typeof response.body.message).toBe('string');
      expect(await countRowsOfUser(map, sources, userId)).toEqual(NO_ROWS);
    });

    it('closed merchant and unavailable item are refused with their codes', async () => {
      const { MenuService } = await import('@eos/catalog');
      const menus = running.app.get(MenuService);
      const merchantId = String(900_000 + Math.floor(Math.random() * 90_000));
      const now = new Date();
      const minute = now.getUTCHours() * 60 + now.getUTCMinutes();
      await menus.saveMerchant({
        id: merchantId,
        name: 'Closed Kitchen',
        // Open for one minute, twelve hours away from now.
        opensAtMinute: (minute + 720) % 1440,
        closesAtMinute: (minute + 721) % 1440,
        deliveryFeeCents: 100,
        discountThresholdCents: null,
        discountCents: null,
        currency: 'CNY',
      });
      const itemId = `${merchantId}01`;
      await menus.saveItem({
        id: itemId,
        merchantId,
        name: 'Soup',
        priceCents: 100,
        packagingFeeCents: 0,
        available: true,
      });
      const customer = newUserId();
      const body = {
        merchantId,
        items: [{ itemId, quantity: 1 }],
        address: { line1: 'a', city: 'b', phone: '13800000000' },
      };
      const closed = await checkout(customer, body);
      expect([closed.status, closed.body.code]).toEqual([422, 'MERCHANT_CLOSED']);

      await menus.saveMerchant({
        id: merchantId,
        name: 'Open Kitchen',
        opensAtMinute: 0,
        closesAtMinute: 1440,
        deliveryFeeCents: 100,
        discountThresholdCents: null,
        discountCents: null,
        currency: 'CNY',
      });
      await menus.saveItem({
        id: itemId,
        merchantId,
        name: 'Soup',
        priceCents: 100,
        packagingFeeCents: 0,
        available: false,
      });
      const unavailable = await checkout(customer, body);
      expect([unavailable.status, unavailable.body.code]).toEqual([422, 'ITEM_UNAVAILABLE']);
      expect(await countRowsOfUser(map, sources, customer)).toEqual(NO_ROWS);

      await menus.saveItem({
        id: itemId,
        merchantId,
        name: 'Soup',
        priceCents: 100,
        packagingFeeCents: 0,
        available: true,
      });
      const ok = await checkout(newUserId(), body);
      expect([ok.status, ok.body.code]).toEqual([201, undefined]);
      expect(ok.body.totalCents).toBe(200);
    });

    it('malformed JSON, no token and a bad token are 4xx with the contract shape', async () => {
      const customer = newUserId();
      const malformed = await http<ErrorBody>('POST', `${running.url}/v1/orders`, {
        token: token(customer),
        rawBody: '{"merchantId":',
        headers: { 'idempotency-key': newIdempotencyKey() },
      });
      expect(malformed.status).toBe(400);
      const anonymous = await http<ErrorBody>('POST', `${running.url}/v1/orders`, { body: valid() });
      expect([anonymous.status, anonymous.body.code]).toEqual([401, 'UNAUTHENTICATED']);
      const forged = await http<ErrorBody>('POST', `${running.url}/v1/orders`, {
        token: mintToken('another-secret-of-sixteen-chars', 'customer', customer),
        body: valid(),
      });
      expect([forged.status, forged.body.code]).toEqual([401, 'UNAUTHENTICATED']);
      const staff = await http<ErrorBody>('POST', `${running.url}/v1/orders`, {
        token: mintToken(config.JWT_SECRET, 'staff', '1'),
        body: valid(),
        headers: { 'idempotency-key': newIdempotencyKey() },
      });
      expect(staff.status).toBe(403);
      expect(await countRowsOfUser(map, sources, customer)).toEqual(NO_ROWS);
    });
  });

  describe('reads', () => {
    it('a customer cannot read or list another customer’s order', async () => {
      const alice = newUserId();
      const bob = newUserId();
      const created = await checkout(alice, checkoutBody(90, 1));
      expect(created.status).toBe(201);
      const own = await http<OrderBody>('GET', `${running.url}/v1/orders/${created.body.id}`, {
        token: token(alice),
      });
      expect(own.status).toBe(200);
      expect(own.body.id).toBe(created.body.id);

      const stolen = await http<ErrorBody>('GET', `${running.url}/v1/orders/${created.body.id}`, {
        token: token(bob),
      });
      expect([stolen.status, stolen.body.code]).toEqual([404, 'ORDER_NOT_FOUND']);
      const bobsList = await http<{ items: OrderBody[] }>('GET', `${running.url}/v1/orders`, {
        token: token(bob),
      });
      expect(bobsList.status).toBe(200);
      expect(bobsList.body.items).toEqual([]);

      // Same shard, different user: the id routes to the right schema but the row is not Bob's.
      const carol = String(BigInt(alice) + 120n);
      const sameShard = await http<ErrorBody>('GET', `${running.url}/v1/orders/${created.body.id}`, {
        token: token(carol),
      });
      expect(sameShard.status).toBe(404);
    });

    it('lists my orders newest first with a keyset cursor and a status filter', async () => {
      const userId = newUserId();
      const ids: string[] = [];
      for (let n = 0; n < 5; n += 1) {
        const response = await checkout(userId, checkoutBody(100 + n, 1));
        ids.push(response.body.id);
      }
      const first = await http<{ items: OrderBody[]; nextCursor: string | null }>(
        'GET',
        `${running.url}/v1/orders?limit=2`,
        { token: token(userId) },
      );
      expect(first.body.items.map((order) => order.id)).toEqual([ids[4], ids[3]]);
      expect(first.body.nextCursor).toBe(ids[3]);
      const second = await http<{ items: OrderBody[]; nextCursor: string | null }>(
        'GET',
        `${running.url}/v1/orders?limit=2&cursor=${first.body.nextCursor}`,
        { token: token(userId) },
      );
      expect(second.body.items.map((order) => order.id)).toEqual([ids[2], ids[1]]);
      const rest = await http<{ items: OrderBody[]; nextCursor: string | null }>(
        'GET',
        `${running.url}/v1/orders?limit=2&cursor=${second.body.nextCursor}`,
        { token: token(userId) },
      );
      expect(rest.body.items.map((order) => order.id)).toEqual([ids[0]]);
      expect(rest.body.nextCursor).toBeNull();
      const paid = await http<{ items: OrderBody[] }>('GET', `${running.url}/v1/orders?status=PAID`, {
        token: token(userId),
      });
      expect(paid.body.items).toEqual([]);
      const created = await http<{ items: OrderBody[] }>(
        'GET',
        `${running.url}/v1/orders?status=CREATED&limit=100`,
        {
          token: token(userId),
        },
      );
      expect(created.body.items).toHaveLength(5);
    });

    it.each([
      ['/v1/orders/abc', 400, 'INVALID_ID'],
      ['/v1/orders/0', 400, 'INVALID_ID'],
      ['/v1/orders/99999999999999999999', 400, 'INVALID_ID'],
      ['/v1/orders?limit=0', 400, 'VALIDATION_FAILED'],
      ['/v1/orders?limit=abc', 400, 'VALIDATION_FAILED'],
      ['/v1/orders?status=LOST', 400, 'VALIDATION_FAILED'],
      ['/v1/orders?cursor=xyz', 400, 'INVALID_ID'],
      ['/v1/orders?foo=1', 400, 'VALIDATION_FAILED'],
    ])('GET %s → %i %s', async (path, status, code) => {
      const response = await http<ErrorBody>('GET', `${running.url}${path}`, { token: token(newUserId()) });
      expect([response.status, response.body.code]).toEqual([status, code]);
    });

    it('serves the menu and 404s an unknown merchant, 400s a malformed one', async () => {
      const menu = await http<{ items: unknown[] }>('GET', `${running.url}/v1/merchants/1000/menu`);
      expect(menu.status).toBe(200);
      expect(menu.body.items).toHaveLength(30);
      const missing = await http<ErrorBody>('GET', `${running.url}/v1/merchants/123456789/menu`);
      expect([missing.status, missing.body.code]).toEqual([404, 'MERCHANT_NOT_FOUND']);
      const malformed = await http<ErrorBody>('GET', `${running.url}/v1/merchants/x1/menu`);
      expect([malformed.status, malformed.body.code]).toEqual([400, 'INVALID_ID']);
    });
  });

  it('answers liveness, readiness and metrics', async () => {
    expect((await http('GET', `${running.url}/health/live`)).status).toBe(200);
    const ready = await http<{ status: string }>('GET', `${running.url}/health/ready`);
    expect([ready.status, ready.body.status]).toEqual([200, 'ok']);
    const metrics = await http<string>('GET', `${running.url}/metrics`);
    expect(metrics.body).toContain('eos_cache_requests_total');
  });
});
