import 'reflect-metadata';
import { EOS_CONFIG, EosConfig, mintToken } from '@eos/common';
import { ShardDataSources, StaffRecord } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import {
  LONG_AGO,
  PaymentProviderHarness,
  RunningApp,
  VirtualOrderView,
  awaitVirtualOrder,
  breakfastOrderBody,
  createStaff,
  getMemberships,
  getVirtualOrder,
  http,
  membershipOrderBody,
  newUserId,
  payThroughCallback,
  postVirtualOrder,
  readOrderTrail,
  redeemVoucher,
  staffToken,
  startHttpApp,
} from '@eos/testing';
// The customer buys, pays, redeems and reads memberships through forward-order, as the app would;
// a test may start both apps (app code never imports another app).
import { ForwardOrderModule } from '../apps/forward-order/src/forward-order.module';
import { VirtualOrderSweeps } from '../apps/forward-order/src/virtual/virtual-order.sweeps';
import { RefundExecutor } from '../apps/reverse-order/src/refunds/refund.executor';
import { ReverseOrderModule } from '../apps/reverse-order/src/reverse-order.module';

interface StepBody {
  request: {
    id: string;
    orderId: string;
    kind: string;
    status: string;
    amountCents: number;
    currency: string;
    items: unknown[];
    decisionReason: string | null;
  };
  order: { id: string; status: string; version: number };
}

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
}

interface RefundRow {
  amount_cents: string;
  bearer: string;
  reason: string;
  status: string;
  reverse_request_id: string | null;
}

// Executor passes a test may run before it gives up, a few milliseconds apart: a bound on work,
// not a timing assertion.
const MAX_PASSES = 400;

describe('refunds of virtual goods (e2e: forward-order and reverse-order on the real services, the simulated provider in process)', () => {
  let provider: PaymentProviderHarness;
  let forward: RunningApp;
  let reverse: RunningApp;
  let config: EosConfig;
  let router: ShardRouter;
  let sources: ShardDataSources;
  let executor: RefundExecutor;
  let supervisor: StaffRecord;

  beforeAll(async () => {
    const secret = 'virtual-refunds-e2e-provider-secret';
    provider = await PaymentProviderHarness.start(secret);
    Object.assign(process.env, {
      PAYMENT_PROVIDER_URL: provider.url,
      PAYMENT_PROVIDER_SECRET: secret,
      // Refund passes run on demand here, never on a timer.
      REVERSE_WORK_INTERVAL_MS: '0',
    });
    forward = await startHttpApp(ForwardOrderModule, 'forward-order');
    reverse = await startHttpApp(ReverseOrderModule, 'reverse-order');
    config = reverse.app.get<EosConfig>(EOS_CONFIG);
    router = reverse.app.get(ShardRouter);
    sources = reverse.app.get(ShardDataSources);
    executor = reverse.app.get(RefundExecutor);
    supervisor = await createStaff(reverse.app, { role: 'supervisor' });
  });

  afterAll(async () => {
    await reverse?.close();
    await forward?.close();
    await provider?.close();
  });

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  function customer(): { userId: string; token: string } {
    const userId = newUserId();
    return { userId, token: mintToken(config.JWT_SECRET, 'customer', userId) };
  }

  async function buy(token: string, body: unknown): Promise<VirtualOrderView> {
    const answer = await postVirtualOrder(forward.url, token, body);
    expect([answer.status, answer.body.kind]).toEqual([201, 'VIRTUAL']);
    return answer.body;
  }

  /** Pays through the signed callback and waits for forward-order's consumer to fulfil the order. */
  async function payAndFulfil(token: string, order: VirtualOrderView): Promise<VirtualOrderView> {
    const paid = await payThroughCallback(forward.url, config.PAYMENT_WEBHOOK_SECRET, order);
    expect([paid.status, paid.body.outcome]).toEqual([200, 'APPLIED']);
    const fulfilled = await awaitVirtualOrder(forward.url, token, order.id, (o) => o.status === 'FULFILLED');
    expect(fulfilled.status).toBe('FULFILLED');
    return fulfilled;
  }

  const read = async (token: string, orderId: string): Promise<VirtualOrderView> =>
    (await getVirtualOrder(forward.url, token, orderId)).body;

  const refund = (token: string, orderId: string, body: object = { reason: 'did not use it' }) =>
    http<StepBody & ErrorBody>('POST', `${reverse.url}/v1/orders/${orderId}/refunds`, { token, body });

  const cancel = (token: string, orderId: string, reason = 'changed my mind') =>
    http<StepBody & ErrorBody>('POST', `${reverse.url}/v1/orders/${orderId}/cancellation`, {
      token,
      body: { reason },
    });

  const requestsOf = async (token: string, orderId: string): Promise<StepBody['request'][]> =>
    (
      await http<{ items: StepBody['request'][] }>(
        'GET',
        `${reverse.url}/v1/orders/${orderId}/reverse-requests`,
        { token },
      )
    ).body.items;

  async function query<T>(orderId: string, text: (schema: string) => string): Promise<T[]> {
    const route = router.routeOrder(orderId);
    return sources.get(route.database).query(text(route.schema), [orderId]);
  }

  const refundsOf = (orderId: string): Promise<RefundRow[]> =>
    query<RefundRow>(
      orderId,
      (s) => `SELECT amount_cents::text AS amount_cents, bearer, reason, status,
        reverse_request_id::text AS reverse_request_id FROM ${s}.refunds WHERE order_id = $1 ORDER BY id`,
    );

  const refundsDueOf = (orderId: string) =>
    query<{ reason: string; amount_cents: string }>(
      orderId,
      (s) => `SELECT reason, amount_cents::text AS amount_cents FROM ${s}.refunds_due WHERE order_id = $1`,
    );

  const moneyOf = async (orderId: string): Promise<{ paid: number; refunded: number }> =>
    (
      await query<{ paid: number; refunded: number }>(
        orderId,
        (s) =>
          `SELECT paid_cents::int AS paid, refunded_cents::int AS refunded FROM ${s}.orders WHERE id = $1`,
      )
    )[0];

  /** Runs refund passes (intake catch-up, provider calls) over the order's shard until its refund succeeded. */
  async function refundPaid(orderId: string): Promise<RefundRow> {
    const shard = router.routeOrder(orderId).shard;
    for (let pass = 0; pass < MAX_PASSES; pass += 1) {
      const refunds = await refundsOf(orderId);
      if (refunds.length > 0 && refunds.every((row) => row.status === 'SUCCEEDED')) {
        expect(refunds).toHaveLength(1);
        return refunds[0];
      }
      await executor.runShard(shard);
      await sleep(10);
    }
    throw new Error(`the refund of order ${orderId} was not paid`);
  }

  /** What must be true of an order a refusal left alone. */
  async function expectUntouched(token: string, before: VirtualOrderView): Promise<VirtualOrderView> {
    const after = await read(token, before.id);
    expect([after.status, after.version]).toEqual([before.status, before.version]);
    expect(await refundsDueOf(before.id)).toEqual([]);
    expect(await moneyOf(before.id)).toEqual({ paid: before.totalCents, refunded: 0 });
    expect(await requestsOf(token, before.id)).toEqual([]);
    return after;
  }

  describe('breakfast', () => {
    it('refunds an unused voucher in full: order CANCELLED, voucher VOIDED, refund paid at the provider, redemption refused afterwards', async () => {
      const { token } = customer();
      const order = await payAndFulfil(token, await buy(token, breakfastOrderBody()));
      const code = String(order.voucher?.code);
      expect(order.voucher?.status).toBe('ISSUED');

      const answer = await refund(token, order.id, { reason: '  plans changed ' });
      expect(answer.status).toBe(201);
      expect(answer.body.order).toEqual({ id: order.id, status: 'CANCELLED', version: order.version + 1 });
      expect(answer.body.request).toMatchObject({
        orderId: order.id,
        kind: 'REFUND',
        status: 'APPROVED',
        amountCents: order.totalCents,
        currency: order.currency,
        items: [],
        decisionReason: `voucher ${code} was unused: voided and refunded in full`,
      });

      const after = await read(token, order.id);
      expect(after.status).toBe('CANCELLED');
      expect(after.voucher).toEqual({ code, status: 'VOIDED', redeemedAt: null });
      const trail = await readOrderTrail(sources, router, order.id);
      expect(trail?.history.at(-1)).toMatchObject({
        version: order.version + 1,
        from: 'FULFILLED',
        to: 'CANCELLED',
        actor: 'customer',
        reason: 'plans changed',
      });
      expect(trail?.outbox.at(-1)).toEqual({
        version: order.version + 1,
        eventType: 'order.virtual.cancelled',
      });
      expect(await refundsDueOf(order.id)).toEqual([
        { reason: 'UNUSED_GOODS_RETURNED', amount_cents: String(order.totalCents) },
      ]);
      expect(await requestsOf(token, order.id)).toEqual([answer.body.request]);

      const paid = await refundPaid(order.id);
      expect(paid).toEqual({
        amount_cents: String(order.totalCents),
        bearer: 'PLATFORM',
        reason: 'UNUSED_GOODS_RETURNED',
        status: 'SUCCEEDED',
        reverse_request_id: null,
      });
      expect((await provider.recordOf(order.id)).refunds.map((each) => each.amountCents)).toEqual([
        order.totalCents,
      ]);
      expect(await moneyOf(order.id)).toEqual({ paid: order.totalCents, refunded: order.totalCents });

      const redemption = await redeemVoucher(forward.url, token, code);
      expect([redemption.status, redemption.body.code]).toEqual([409, 'VOUCHER_VOIDED']);
      // Refunded once: asking again, by either route, is refused.
      expect((await refund(token, order.id)).body.code).toBe('REVERSE_NOT_ALLOWED');
      expect((await cancel(token, order.id)).body.code).toBe('REVERSE_NOT_ALLOWED');
    });

    it('refuses to refund a redeemed voucher (a second redemption refused too), by either route, changing nothing', async () => {
      const { token } = customer();
      const order = await payAndFulfil(token, await buy(token, breakfastOrderBody()));
      const code = String(order.voucher?.code);
      const first = await redeemVoucher(forward.url, token, code);
      expect([first.status, first.body.status]).toEqual([200, 'REDEEMED']);
      const second = await redeemVoucher(forward.url, token, code);
      expect([second.status, second.body.code]).toEqual([409, 'VOUCHER_ALREADY_REDEEMED']);

      for (const attempt of [refund(token, order.id), cancel(token, order.id)]) {
        const answer = await attempt;
        expect([answer.status, answer.body.code]).toEqual([409, 'VOUCHER_ALREADY_REDEEMED']);
        expect(answer.body.message).toMatch(/redeemed/);
      }
      const after = await expectUntouched(token, order);
      expect(after.voucher).toEqual({ code, status: 'REDEEMED', redeemedAt: first.body.redeemedAt });
    });

    it('lets exactly one of a refund and a redemption racing for the same voucher win', async () => {
      const { token } = customer();
      for (let round = 0; round < 3; round += 1) {
        const order = await payAndFulfil(token, await buy(token, breakfastOrderBody()));
        const code = String(order.voucher?.code);
        const [refunded, redeemed] = await Promise.all([
          refund(token, order.id),
          redeemVoucher(forward.url, token, code),
        ]);
        const after = await read(token, order.id);
        if (refunded.status === 201) {
          expect([redeemed.status, redeemed.body.code]).toEqual([409, 'VOUCHER_VOIDED']);
          expect([after.status, after.voucher?.status]).toEqual(['CANCELLED', 'VOIDED']);
        } else {
          expect([refunded.status, refunded.body.code]).toEqual([409, 'VOUCHER_ALREADY_REDEEMED']);
          expect(redeemed.status).toBe(200);
          expect([after.status, after.voucher?.status]).toEqual(['FULFILLED', 'REDEEMED']);
          expect(await refundsDueOf(order.id)).toEqual([]);
        }
      }
    });

    it('refuses items on a virtual refund with 400 VALIDATION_FAILED, changing nothing', async () => {
      const { token } = customer();
      const order = await payAndFulfil(token, await buy(token, breakfastOrderBody()));
      const answer = await refund(token, order.id, {
        items: [{ itemId: '1', quantity: 1 }],
        reason: 'only the coffee',
      });
      expect([answer.status, answer.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(answer.body.message).toMatch(/virtual order is refunded whole: leave out items/);
      expect((await expectUntouched(token, order)).voucher?.status).toBe('ISSUED');
    });

    it('cancels an unpaid virtual order at once through either route, with nothing to refund', async () => {
      const { token } = customer();
      for (const [route, kind] of [
        [refund, 'REFUND'],
        [cancel, 'CANCELLATION'],
      ] as const) {
        const order = await buy(token, breakfastOrderBody());
        const answer = await route(token, order.id);
        expect(answer.status).toBe(201);
        expect(answer.body.order).toEqual({ id: order.id, status: 'CANCELLED', version: 2 });
        expect(answer.body.request).toMatchObject({
          kind,
          status: 'APPROVED',
          amountCents: 0,
          decisionReason: 'cancelled before the goods were issued',
        });
        expect(await refundsDueOf(order.id)).toEqual([]);
      }
    });

    it('refuses a completed order with ORDER_COMPLETED', async () => {
      const { token } = customer();
      const order = await payAndFulfil(token, await buy(token, breakfastOrderBody()));
      const { database, schema, shard } = router.routeOrder(order.id);
      await sources
        .get(database)
        .query(`UPDATE ${schema}.orders SET updated_at = $2 WHERE id = $1`, [
          order.id,
          LONG_AGO.toISOString(),
        ]);
      await forward.app.get(VirtualOrderSweeps).completeDue({ shards: [shard] });
      expect((await read(token, order.id)).status).toBe('COMPLETED');
      const answer = await refund(token, order.id);
      expect([answer.status, answer.body.code]).toEqual([409, 'ORDER_COMPLETED']);
      expect((await read(token, order.id)).voucher?.status).toBe('ISSUED');
    });

    it("keeps another customer's order hidden: 404 ORDER_NOT_FOUND", async () => {
      const { token } = customer();
      const order = await payAndFulfil(token, await buy(token, breakfastOrderBody()));
      const answer = await refund(customer().token, order.id);
      expect([answer.status, answer.body.code]).toEqual([404, 'ORDER_NOT_FOUND']);
      expect((await read(token, order.id)).voucher?.status).toBe('ISSUED');
    });
  });

  describe('membership', () => {
    it('refunds the unstarted second card in full and cancels its period; refuses the started first; the next card starts where the first ends', async () => {
      const { token } = customer();
      const first = await payAndFulfil(token, await buy(token, membershipOrderBody('membership-monthly')));
      const second = await payAndFulfil(token, await buy(token, membershipOrderBody('membership-monthly')));
      const firstEnd = String(first.membershipPeriod?.endsAt);
      expect(first.membershipPeriod?.state).toBe('CURRENT');
      expect(second.membershipPeriod).toMatchObject({ startsAt: firstEnd, state: 'UPCOMING' });

      const answer = await refund(token, second.id);
      expect(answer.status).toBe(201);
      expect(answer.body.order.status).toBe('CANCELLED');
      expect(answer.body.request).toMatchObject({
        kind: 'REFUND',
        status: 'APPROVED',
        amountCents: second.totalCents,
        decisionReason: 'the membership period had not started: cancelled and refunded in full',
      });
      expect((await read(token, second.id)).membershipPeriod?.state).toBe('CANCELLED');
      const [membership] = await getMemberships(forward.url, token);
      expect(membership).toMatchObject({ active: true, endsAt: firstEnd, current: { orderId: first.id } });
      expect(membership.periods.map((period) => [period.orderId, period.state])).toEqual([
        [first.id, 'CURRENT'],
        [second.id, 'CANCELLED'],
      ]);
      const paid = await refundPaid(second.id);
      expect(paid).toMatchObject({
        amount_cents: String(second.totalCents),
        reason: 'UNUSED_GOODS_RETURNED',
      });
      expect((await provider.recordOf(second.id)).refunds).toHaveLength(1);

      for (const attempt of [refund(token, first.id), cancel(token, first.id)]) {
        const refused = await attempt;
        expect([refused.status, refused.body.code]).toEqual([409, 'MEMBERSHIP_PERIOD_STARTED']);
      }
      expect((await expectUntouched(token, first)).membershipPeriod?.state).toBe('CURRENT');

      // The refunded period no longer holds the member's end: the next card chains after the first.
      const third = await payAndFulfil(token, await buy(token, membershipOrderBody('membership-monthly')));
      expect(third.membershipPeriod).toMatchObject({ startsAt: firstEnd, state: 'UPCOMING' });
    });
  });

  describe('customer service force-cancels a fulfilled virtual order', () => {
    const forceCancel = (orderId: string) =>
      http<{ order: { status: string } } & ErrorBody>(
        'POST',
        `${reverse.url}/v1/cs/orders/${orderId}/cancel`,
        {
          token: staffToken(config.JWT_SECRET, supervisor.id),
          body: { reason: 'goodwill' },
        },
      );

    const auditOf = (orderId: string) =>
      query<{ action: string; before: unknown; after: unknown }>(
        orderId,
        (s) => `SELECT action, before, after FROM ${s}.audit_log WHERE order_id = $1 ORDER BY id`,
      );

    it('cancels even a started period (no longer active) and audits the goods taken back', async () => {
      const { token } = customer();
      const order = await payAndFulfil(token, await buy(token, membershipOrderBody('membership-monthly')));
      const answer = await forceCancel(order.id);
      expect([answer.status, answer.body.order?.status]).toEqual([200, 'CANCELLED']);
      expect((await read(token, order.id)).membershipPeriod?.state).toBe('CANCELLED');
      const [membership] = await getMemberships(forward.url, token);
      expect(membership).toMatchObject({ active: false, endsAt: null, current: null });
      expect(await refundsDueOf(order.id)).toEqual([
        { reason: 'STAFF_CANCELLED', amount_cents: String(order.totalCents) },
      ]);
      const audit = await auditOf(order.id);
      expect(audit.map((row) => row.action)).toEqual(['virtual_goods.return', 'order.cancel']);
      expect(audit[0]).toMatchObject({
        before: { goods: 'MEMBERSHIP_PERIOD', cancelled: false },
        after: { goods: 'MEMBERSHIP_PERIOD', cancelled: true },
      });
      // A card bought now starts now: nothing standing is left to chain after.
      const next = await payAndFulfil(token, await buy(token, membershipOrderBody('membership-monthly')));
      expect(next.membershipPeriod?.state).toBe('CURRENT');
    });

    it('leaves a redeemed voucher redeemed (it was used) and still refunds', async () => {
      const { token } = customer();
      const order = await payAndFulfil(token, await buy(token, breakfastOrderBody()));
      const code = String(order.voucher?.code);
      expect((await redeemVoucher(forward.url, token, code)).status).toBe(200);
      const answer = await forceCancel(order.id);
      expect([answer.status, answer.body.order?.status]).toEqual([200, 'CANCELLED']);
      expect((await read(token, order.id)).voucher?.status).toBe('REDEEMED');
      const audit = await auditOf(order.id);
      expect(audit[0]).toMatchObject({
        action: 'virtual_goods.return',
        before: { goods: 'VOUCHER', code, status: 'REDEEMED' },
        after: { goods: 'VOUCHER', code, status: 'REDEEMED' },
      });
      expect(await refundPaid(order.id)).toMatchObject({ reason: 'STAFF_CANCELLED', bearer: 'PLATFORM' });
    });
  });
});
