import 'reflect-metadata';
import { EOS_CONFIG, EosConfig, mintToken } from '@eos/common';
import { assertVirtualRefundable, isDomainError } from '@eos/domain';
import { ShardDataSources, ShardTransactions, VirtualGoodsStateReader } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import {
  LONG_AGO,
  OrderEventTap,
  RunningApp,
  VirtualOrderView,
  awaitVirtualOrder,
  breakfastOrderBody,
  checkoutBody,
  getVirtualOrder,
  http,
  membershipOrderBody,
  newIdempotencyKey,
  newUserId,
  payThroughCallback,
  postVirtualOrder,
  readOrderTrail,
  startHttpApp,
} from '@eos/testing';
import { ForwardOrderModule } from '../src/forward-order.module';
import { VirtualFulfilmentService } from '../src/virtual/virtual-fulfilment.service';
import { VirtualOrderSweeps } from '../src/virtual/virtual-order.sweeps';

interface ErrorBody {
  statusCode: number;
  code?: string;
  message: string;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Virtual goods end to end over the real Postgres, Redis and RabbitMQ: creation, payment through
 * the signed callback, fulfilment by the order.virtual.paid consumer, voucher redemption,
 * memberships, listing by kind, completion, and the facts a refund will be decided on.
 */
describe('virtual orders (e2e, real Postgres, Redis and RabbitMQ)', () => {
  let running: RunningApp;
  let config: EosConfig;
  let router: ShardRouter;
  let sources: ShardDataSources;
  let tap: OrderEventTap;

  beforeAll(async () => {
    running = await startHttpApp(ForwardOrderModule, 'forward-order');
    config = running.app.get<EosConfig>(EOS_CONFIG);
    router = running.app.get(ShardRouter);
    sources = running.app.get(ShardDataSources);
    tap = await OrderEventTap.create(config.RABBITMQ_URL, 'order.virtual.#');
  });

  afterAll(async () => {
    await tap?.delete();
    await running?.close();
  });

  function customer(): { userId: string; token: string } {
    const userId = newUserId();
    return { userId, token: mintToken(config.JWT_SECRET, 'customer', userId) };
  }

  async function create(token: string, body: unknown, key = newIdempotencyKey()): Promise<VirtualOrderView> {
    const answer = await postVirtualOrder(running.url, token, body, key);
    expect([answer.status, answer.body.kind]).toEqual([201, 'VIRTUAL']);
    return answer.body;
  }

  /** Pays the order and waits for the consumer to fulfil it. */
  async function payAndFulfil(token: string, order: VirtualOrderView): Promise<VirtualOrderView> {
    const paid = await payThroughCallback(running.url, config.PAYMENT_WEBHOOK_SECRET, order);
    expect([paid.status, paid.body.outcome]).toEqual([200, 'APPLIED']);
    const fulfilled = await awaitVirtualOrder(running.url, token, order.id, (o) => o.status === 'FULFILLED');
    expect(fulfilled.status).toBe('FULFILLED');
    return fulfilled;
  }

  function redeem(token: string, code: string) {
    return http<ErrorBody & { status: string; redeemedAt: string | null }>(
      'POST',
      `${running.url}/v1/vouchers/${encodeURIComponent(code)}/redeem`,
      { token },
    );
  }

  describe('breakfast', () => {
    it('is created priced by configuration, with no address or fees, and its details kept', async () => {
      const { userId, token } = customer();
      const body = breakfastOrderBody();
      const order = await create(token, body);
      const setA = body.items[0].quantity * 650;
      expect(order).toMatchObject({
        userId,
        merchantId: body.merchantId,
        kind: 'VIRTUAL',
        status: 'CREATED',
        version: 1,
        businessLine: 'breakfast',
        details: { pickupDate: '2030-01-15', note: 'no sugar' },
        address: null,
        deliveryFeeCents: 0,
        packagingFeeCents: 0,
        subtotalCents: setA + 1500,
        totalCents: setA + 1500,
        currency: 'CNY',
        fulfilment: null,
        voucher: null,
      });
      expect(order.items.map((line) => [line.sku, line.quantity, line.lineTotalCents])).toEqual([
        ['breakfast-set-a', body.items[0].quantity, setA],
        ['breakfast-coffee', 1, 1500],
      ]);
      const trail = await readOrderTrail(sources, router, order.id);
      expect(trail?.outbox).toEqual([{ version: 1, eventType: 'order.virtual.created' }]);
    });

    it('answers the same key and body with the same order, and the same key with another body with 422', async () => {
      const { token } = customer();
      const key = newIdempotencyKey();
      const body = breakfastOrderBody();
      const first = await create(token, body, key);
      // The same details in another key order are the same request.
      const again = await postVirtualOrder(
        running.url,
        token,
        { ...body, details: { note: 'no sugar', pickupDate: '2030-01-15' } },
        key,
      );
      expect([again.status, again.body.id, again.headers.get('idempotent-replayed')]).toEqual([
        201,
        first.id,
        'true',
      ]);
      const other = await postVirtualOrder<ErrorBody>(
        running.url,
        token,
        { ...body, items: [{ sku: 'breakfast-set-b', quantity: 1 }] },
        key,
      );
      expect([other.status, other.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      // Delivery and virtual orders share the customer's keys: one kind's key is not the other's.
      const delivery = await http<ErrorBody>('POST', `${running.url}/v1/orders`, {
        token,
        body: checkoutBody(),
        headers: { 'idempotency-key': key },
      });
      expect([delivery.status, delivery.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    });

    it('is paid, fulfilled by the order.virtual.paid consumer with a voucher, redeemed once, and the second redemption refused', async () => {
      const { token } = customer();
      const order = await create(token, breakfastOrderBody());
      const fulfilled = await payAndFulfil(token, order);
      const code = String(fulfilled.fulfilment?.voucherCode);
      expect(code.startsWith(`${order.id}-`)).toBe(true);
      expect(fulfilled.voucher).toEqual({ code, status: 'ISSUED', redeemedAt: null });

      const trail = await readOrderTrail(sources, router, order.id);
      expect(trail?.history.map((entry) => [entry.version, entry.from, entry.to, entry.actor])).toEqual([
        [1, null, 'CREATED', 'customer'],
        [2, 'CREATED', 'PAID', 'payment-provider'],
        [3, 'PAID', 'FULFILLED', 'system:virtual-fulfilment'],
      ]);
      expect(trail?.outbox).toEqual([
        { version: 1, eventType: 'order.virtual.created' },
        { version: 2, eventType: 'order.virtual.paid' },
        { version: 3, eventType: 'order.virtual.fulfilled' },
      ]);

      const first = await redeem(token, code);
      expect([first.status, first.body.status]).toEqual([200, 'REDEEMED']);
      const second = await redeem(token, code);
      expect([second.status, second.body.code]).toEqual([409, 'VOUCHER_ALREADY_REDEEMED']);
      const after = (await getVirtualOrder(running.url, token, order.id)).body;
      expect(after.voucher).toEqual({ code, status: 'REDEEMED', redeemedAt: first.body.redeemedAt });
    });

    it('redeems a voucher exactly once when the same customer redeems it from two devices at once', async () => {
      const { token } = customer();
      const fulfilled = await payAndFulfil(token, await create(token, breakfastOrderBody()));
      const code = String(fulfilled.fulfilment?.voucherCode);
      const answers = await Promise.all(Array.from({ length: 6 }, () => redeem(token, code)));
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    });

    it("hides another customer's voucher and refuses codes that are none as 404 VOUCHER_NOT_FOUND", async () => {
      const { token } = customer();
      const fulfilled = await payAndFulfil(token, await create(token, breakfastOrderBody()));
      const code = String(fulfilled.fulfilment?.voucherCode);
      const stranger = customer();
      for (const [who, text] of [
        [stranger.token, code],
        [token, `${fulfilled.id}-AAAAAAAA`],
        [token, 'not-a-voucher'],
        [token, '99999999999999999999-ABCDEFGH'],
      ]) {
        const answer = await redeem(who, text);
        expect([text, answer.status, answer.body.code]).toEqual([text, 404, 'VOUCHER_NOT_FOUND']);
      }
      expect((await getVirtualOrder(running.url, token, fulfilled.id)).body.voucher?.status).toBe('ISSUED');
    });

    it('publishes its events with the kind in the routing key', async () => {
      const { token } = customer();
      const order = await payAndFulfil(token, await create(token, breakfastOrderBody()));
      await tap.drain((events) => events.filter((event) => event.orderId === order.id).length >= 3, 30_000);
      expect(
        tap.events
          .filter((event) => event.orderId === order.id)
          .map((event) => [event.orderVersion, event.routingKey]),
      ).toEqual([
        [1, 'order.virtual.created'],
        [2, 'order.virtual.paid'],
        [3, 'order.virtual.fulfilled'],
      ]);
    });
  });

  describe('membership', () => {
    it('starts a period on the first card and extends it from its end on the next; /v1/memberships/me flags the current one', async () => {
      const { userId, token } = customer();
      const monthly = await payAndFulfil(
        token,
        await create(token, membershipOrderBody('membership-monthly')),
      );
      expect(monthly.membershipPeriod).toMatchObject({ plan: 'membership-monthly', state: 'CURRENT' });
      const firstEnd = Date.parse(String(monthly.membershipPeriod?.endsAt));
      expect(firstEnd - Date.parse(String(monthly.membershipPeriod?.startsAt))).toBe(30 * DAY_MS);

      const quarterly = await payAndFulfil(
        token,
        await create(token, membershipOrderBody('membership-quarterly')),
      );
      expect(quarterly.membershipPeriod).toMatchObject({ plan: 'membership-quarterly', state: 'UPCOMING' });
      expect(Date.parse(String(quarterly.membershipPeriod?.startsAt))).toBe(firstEnd);
      expect(Date.parse(String(quarterly.membershipPeriod?.endsAt))).toBe(firstEnd + 90 * DAY_MS);

      const mine = await http<{
        userId: string;
        memberships: {
          businessLine: string;
          active: boolean;
          endsAt: string;
          current: { orderId: string } | null;
          periods: { orderId: string; state: string; current: boolean }[];
        }[];
      }>('GET', `${running.url}/v1/memberships/me`, { token });
      expect(mine.status).toBe(200);
      expect(mine.body.userId).toBe(userId);
      expect(mine.body.memberships).toHaveLength(1);
      const [membership] = mine.body.memberships;
      expect(membership).toMatchObject({
        businessLine: 'membership',
        active: true,
        current: { orderId: monthly.id },
      });
      expect(Date.parse(membership.endsAt)).toBe(firstEnd + 90 * DAY_MS);
      expect(membership.periods.map((period) => [period.orderId, period.state, period.current])).toEqual([
        [monthly.id, 'CURRENT', true],
        [quarterly.id, 'UPCOMING', false],
      ]);
    });

    it('chains two cards paid at the same moment one after the other, never overlapping', async () => {
      const { token } = customer();
      const orders = await Promise.all([
        create(token, membershipOrderBody('membership-monthly')),
        create(token, membershipOrderBody('membership-monthly')),
      ]);
      const fulfilled = await Promise.all(orders.map((order) => payAndFulfil(token, order)));
      const periods = fulfilled
        .map((order) => order.membershipPeriod)
        .sort((a, b) => Date.parse(String(a?.startsAt)) - Date.parse(String(b?.startsAt)));
      expect(Date.parse(String(periods[1]?.startsAt))).toBe(Date.parse(String(periods[0]?.endsAt)));
    });

    it('is empty for a customer who never bought a card', async () => {
      const { token } = customer();
      const mine = await http<{ memberships: unknown[] }>('GET', `${running.url}/v1/memberships/me`, {
        token,
      });
      expect([mine.status, mine.body.memberships]).toEqual([200, []]);
    });
  });

  describe('refusals change nothing', () => {
    it.each([
      [
        'an unknown business line',
        { ...breakfastOrderBody(), businessLine: 'laundry' },
        422,
        'BUSINESS_LINE_NOT_FOUND',
      ],
      [
        'a product another line sells',
        { ...breakfastOrderBody(), items: [{ sku: 'membership-monthly', quantity: 1 }] },
        422,
        'ITEM_NOT_FOUND',
      ],
      [
        'details of the wrong shape',
        { ...breakfastOrderBody(), details: { pickupDate: 'tomorrow' } },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'a details field the line does not know',
        { ...breakfastOrderBody(), details: { table: 4 } },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'details that are not an object',
        { ...breakfastOrderBody(), details: ['x'] },
        400,
        'VALIDATION_FAILED',
      ],
      ['an unknown seller', breakfastOrderBody(999_999_999), 404, 'MERCHANT_NOT_FOUND'],
      ['no items', { ...breakfastOrderBody(), items: [] }, 400, 'CART_EMPTY'],
      [
        'a product twice',
        {
          ...breakfastOrderBody(),
          items: [
            { sku: 'breakfast-set-a', quantity: 1 },
            { sku: 'breakfast-set-a', quantity: 2 },
          ],
        },
        400,
        'DUPLICATE_ITEM',
      ],
      [
        'a quantity of 100',
        { ...breakfastOrderBody(), items: [{ sku: 'breakfast-set-a', quantity: 100 }] },
        400,
        'QUANTITY_OUT_OF_RANGE',
      ],
      [
        'an unknown top-level field',
        { ...breakfastOrderBody(), address: { line1: 'x' } },
        400,
        'VALIDATION_FAILED',
      ],
    ])('%s is refused', async (_name, body, status, code) => {
      const { token } = customer();
      const answer = await postVirtualOrder<ErrorBody>(running.url, token, body);
      expect([answer.status, answer.body.code]).toEqual([status, code]);
      const list = await http<{ items: unknown[] }>('GET', `${running.url}/v1/orders`, { token });
      expect(list.body.items).toEqual([]);
    });

    it('requires an Idempotency-Key, and a customer token', async () => {
      const { token } = customer();
      const keyless = await postVirtualOrder<ErrorBody>(running.url, token, breakfastOrderBody(), null);
      expect([keyless.status, keyless.body.code]).toEqual([400, 'IDEMPOTENCY_KEY_REQUIRED']);
      const anonymous = await http<ErrorBody>('POST', `${running.url}/v1/virtual-orders`, {
        body: breakfastOrderBody(),
        headers: { 'idempotency-key': newIdempotencyKey() },
      });
      expect(anonymous.status).toBe(401);
    });
  });

  describe('the existing order routes', () => {
    it('lists by kind: ?kind=VIRTUAL, ?kind=DELIVERY, both without; another kind is 400', async () => {
      const { token } = customer();
      const virtual = await create(token, membershipOrderBody());
      const delivery = await http<{ id: string }>('POST', `${running.url}/v1/orders`, {
        token,
        body: checkoutBody(),
        headers: { 'idempotency-key': newIdempotencyKey() },
      });
      expect(delivery.status).toBe(201);
      const list = (query: string) =>
        http<{ items: { id: string; kind: string; businessLine?: string }[] }>(
          'GET',
          `${running.url}/v1/orders${query}`,
          { token },
        );
      expect((await list('?kind=VIRTUAL')).body.items.map((o) => [o.id, o.kind, o.businessLine])).toEqual([
        [virtual.id, 'VIRTUAL', 'membership'],
      ]);
      expect((await list('?kind=DELIVERY')).body.items.map((o) => [o.id, o.kind])).toEqual([
        [delivery.body.id, 'DELIVERY'],
      ]);
      expect((await list('')).body.items.map((o) => o.id)).toEqual([delivery.body.id, virtual.id]);
      expect((await list('?kind=GIFT')).status).toBe(400);
    });

    it('shows a virtual order to its customer only, like any order', async () => {
      const { token } = customer();
      const order = await create(token, breakfastOrderBody());
      const stranger = customer();
      const answer = await http<ErrorBody>('GET', `${running.url}/v1/orders/${order.id}`, {
        token: stranger.token,
      });
      expect([answer.status, answer.body.code]).toEqual([404, 'ORDER_NOT_FOUND']);
    });

    it('refuses the delivery steps: a virtual order cannot be confirmed as received before it is fulfilled', async () => {
      const { token } = customer();
      const order = await create(token, breakfastOrderBody());
      const answer = await http<ErrorBody>('POST', `${running.url}/v1/orders/${order.id}/confirm-receipt`, {
        token,
      });
      expect([answer.status, answer.body.code]).toEqual([409, 'ILLEGAL_TRANSITION']);
    });
  });

  describe('fulfilment is idempotent', () => {
    it('issues one voucher whatever number of event deliveries and sweeps race for a paid order', async () => {
      const { token } = customer();
      const order = await create(token, breakfastOrderBody());
      const fulfilment = running.app.get(VirtualFulfilmentService);
      await payThroughCallback(running.url, config.PAYMENT_WEBHOOK_SECRET, order);
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, (_, i) => fulfilment.fulfil(order.id, i % 2 === 0 ? 'event' : 'sweep')),
      );
      expect(outcomes.filter((outcome) => outcome === 'FULFILLED').length).toBeLessThanOrEqual(1);
      const fulfilled = await awaitVirtualOrder(
        running.url,
        token,
        order.id,
        (o) => o.status === 'FULFILLED',
      );
      expect(await fulfilment.fulfil(order.id, 'event')).toBe('NOT_DUE');
      const trail = await readOrderTrail(sources, router, order.id);
      expect(trail?.history.filter((entry) => entry.to === 'FULFILLED')).toHaveLength(1);
      const { database, schema } = router.routeOrder(order.id);
      const vouchers: { code: string }[] = await sources
        .get(database)
        .query(`SELECT code FROM ${schema}.vouchers WHERE order_id = $1`, [order.id]);
      expect(vouchers.map((row) => row.code)).toEqual([fulfilled.voucher?.code]);
    });
  });

  describe('completion', () => {
    it('completes a fulfilled order once its after-sale window closed: order.virtual.completed', async () => {
      const { token } = customer();
      const order = await payAndFulfil(token, await create(token, breakfastOrderBody()));
      const { database, schema, shard } = router.routeOrder(order.id);
      await sources
        .get(database)
        .query(`UPDATE ${schema}.orders SET updated_at = $2 WHERE id = $1`, [
          order.id,
          LONG_AGO.toISOString(),
        ]);
      const report = await running.app.get(VirtualOrderSweeps).completeDue({ shards: [shard] });
      expect(report.applied).toBeGreaterThanOrEqual(1);
      const completed = (await getVirtualOrder(running.url, token, order.id)).body;
      expect(completed.status).toBe('COMPLETED');
      const trail = await readOrderTrail(sources, router, order.id);
      expect(trail?.outbox.at(-1)).toEqual({ version: 4, eventType: 'order.virtual.completed' });
      expect(trail?.completedAt).not.toBeNull();
    });
  });

  describe('what a refund is decided on (the refund itself is reverse-order)', () => {
    async function refundability(orderId: string): Promise<string> {
      const reader = running.app.get(VirtualGoodsStateReader);
      const transactions = running.app.get(ShardTransactions);
      return transactions.run(router.routeOrder(orderId), async (tx) => {
        const state = await reader.stateOf(tx, orderId, true);
        try {
          assertVirtualRefundable(state, new Date());
          return 'REFUNDABLE';
        } catch (error) {
          if (isDomainError(error)) return error.code;
          throw error;
        }
      });
    }

    it('an unused voucher refunds in full, a redeemed one is VOUCHER_ALREADY_REDEEMED', async () => {
      const { token } = customer();
      const order = await payAndFulfil(token, await create(token, breakfastOrderBody()));
      expect(await refundability(order.id)).toBe('REFUNDABLE');
      expect((await redeem(token, String(order.voucher?.code))).status).toBe(200);
      expect(await refundability(order.id)).toBe('VOUCHER_ALREADY_REDEEMED');
    });

    it('an unstarted membership period refunds in full, a started one is MEMBERSHIP_PERIOD_STARTED', async () => {
      const { token } = customer();
      const started = await payAndFulfil(
        token,
        await create(token, membershipOrderBody('membership-monthly')),
      );
      const upcoming = await payAndFulfil(
        token,
        await create(token, membershipOrderBody('membership-monthly')),
      );
      expect(await refundability(started.id)).toBe('MEMBERSHIP_PERIOD_STARTED');
      expect(await refundability(upcoming.id)).toBe('REFUNDABLE');
    });

    it('a paid order not yet fulfilled refunds in full', async () => {
      const { token } = customer();
      const order = await create(token, breakfastOrderBody());
      expect(await refundability(order.id)).toBe('REFUNDABLE');
    });
  });
});
