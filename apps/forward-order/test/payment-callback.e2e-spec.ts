import 'reflect-metadata';
import { createHmac } from 'node:crypto';
import { EOS_CONFIG, EosConfig, mintToken } from '@eos/common';
import { OrderSweeps } from '@eos/ordering';
import { ShardDataSources } from '@eos/persistence';
import { ShardRouter, encodeOrderId } from '@eos/sharding';
import {
  OrderTrail,
  PaymentCallbackBody,
  LONG_AGO,
  RunningApp,
  checkoutBody,
  http,
  newIdempotencyKey,
  newNotificationId,
  newUserId,
  paymentBody,
  postPaymentCallback,
  readOrderTrail,
  setOrderMoment,
  signCallback,
  startHttpApp,
  trailProblems,
} from '@eos/testing';
import { ForwardOrderModule } from '../src/forward-order.module';

interface OrderBody {
  id: string;
  status: string;
  totalCents: number;
}

interface CallbackAnswer {
  statusCode?: number;
  code?: string;
  received?: boolean;
  outcome?: string;
}

describe('payment callback (e2e, real Postgres and Redis)', () => {
  let running: RunningApp;
  let config: EosConfig;
  let router: ShardRouter;
  let sources: ShardDataSources;
  let sweeps: OrderSweeps;

  beforeAll(async () => {
    running = await startHttpApp(ForwardOrderModule, 'forward-order');
    config = running.app.get<EosConfig>(EOS_CONFIG);
    router = running.app.get(ShardRouter);
    sources = running.app.get(ShardDataSources);
    sweeps = running.app.get(OrderSweeps);
  });

  afterAll(async () => {
    await running.close();
  });

  async function newOrder(): Promise<OrderBody> {
    const userId = newUserId();
    const response = await http<OrderBody>('POST', `${running.url}/v1/orders`, {
      token: mintToken(config.JWT_SECRET, 'customer', userId),
      body: checkoutBody(),
      headers: { 'idempotency-key': newIdempotencyKey() },
    });
    expect(response.status).toBe(201);
    return response.body;
  }

  async function trail(orderId: string): Promise<OrderTrail> {
    const found = await readOrderTrail(sources, router, orderId);
    if (!found) throw new Error(`order ${orderId} vanished`);
    return found;
  }

  function send(body: unknown, atSeconds?: number) {
    const signed = signCallback(config.PAYMENT_WEBHOOK_SECRET, body, atSeconds);
    return postPaymentCallback<CallbackAnswer>(running.url, signed.raw, signed.signature);
  }

  it('pays a CREATED order once: PAID, history, outbox and the notification recorded together', async () => {
    const order = await newOrder();
    const answer = await send(paymentBody(order.id, order.totalCents));
    expect([answer.status, answer.body]).toEqual([200, { received: true, outcome: 'APPLIED' }]);
    const after = await trail(order.id);
    expect([after.status, after.version]).toEqual(['PAID', 2]);
    expect(trailProblems(after)).toEqual([]);
    expect(after.history[1]).toMatchObject({ from: 'CREATED', to: 'PAID', actor: 'payment-provider' });
  });

  describe('refusals change nothing', () => {
    let order: OrderBody;
    let before: OrderTrail;
    beforeEach(async () => {
      order = await newOrder();
      before = await trail(order.id);
    });
    afterEach(async () => {
      expect(await trail(order.id)).toEqual(before);
    });

    it('a tampered body (amount changed after signing) is 401 PAYMENT_SIGNATURE_INVALID', async () => {
      const signed = signCallback(config.PAYMENT_WEBHOOK_SECRET, paymentBody(order.id, order.totalCents));
      const tampered = signed.raw.replace(`"amountCents":${order.totalCents}`, '"amountCents":1');
      expect(tampered).not.toBe(signed.raw);
      const answer = await postPaymentCallback<CallbackAnswer>(running.url, tampered, signed.signature);
      expect([answer.status, answer.body.code]).toEqual([401, 'PAYMENT_SIGNATURE_INVALID']);
    });

    it('a body re-serialised with other whitespace no longer matches its signature', async () => {
      const body = paymentBody(order.id, order.totalCents);
      const signed = signCallback(config.PAYMENT_WEBHOOK_SECRET, body);
      const answer = await postPaymentCallback<CallbackAnswer>(
        running.url,
        JSON.stringify(body, null, 1),
        signed.signature,
      );
      expect([answer.status, answer.body.code]).toEqual([401, 'PAYMENT_SIGNATURE_INVALID']);
    });

    it('a signature made with another secret is 401', async () => {
      const raw = JSON.stringify(paymentBody(order.id, order.totalCents));
      const t = Math.floor(Date.now() / 1000);
      const forged = createHmac('sha256', 'not-the-webhook-secret-at-all')
        .update(`${t}.${raw}`)
        .digest('hex');
      const answer = await postPaymentCallback<CallbackAnswer>(running.url, raw, `t=${t},v1=${forged}`);
      expect([answer.status, answer.body.code]).toEqual([401, 'PAYMENT_SIGNATURE_INVALID']);
    });

    it.each([
      ['no header', null],
      ['an empty header', ''],
      ['no timestamp', 'v1=' + 'a'.repeat(64)],
      ['no v1', 't=1700000000'],
      ['a short digest', 't=1700000000,v1=abc'],
      ['garbage', 'hello'],
    ])('%s is 401 PAYMENT_SIGNATURE_INVALID', async (_name, header) => {
      const raw = JSON.stringify(paymentBody(order.id, order.totalCents));
      const answer = await postPaymentCallback<CallbackAnswer>(running.url, raw, header);
      expect([answer.status, answer.body.code]).toEqual([401, 'PAYMENT_SIGNATURE_INVALID']);
    });

    it('a correctly signed but stale callback (6 minutes old) is 401 PAYMENT_SIGNATURE_EXPIRED', async () => {
      const answer = await send(paymentBody(order.id, order.totalCents), Date.now() / 1000 - 6 * 60);
      expect([answer.status, answer.body.code]).toEqual([401, 'PAYMENT_SIGNATURE_EXPIRED']);
    });

    it('a callback dated 6 minutes ahead is refused too', async () => {
      const answer = await send(paymentBody(order.id, order.totalCents), Date.now() / 1000 + 6 * 60);
      expect([answer.status, answer.body.code]).toEqual([401, 'PAYMENT_SIGNATURE_EXPIRED']);
    });

    it('a correctly signed wrong amount is 422 PAYMENT_AMOUNT_MISMATCH, every time it is sent', async () => {
      const body = paymentBody(order.id, order.totalCents + 1);
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const answer = await send(body);
        expect([answer.status, answer.body.code]).toEqual([422, 'PAYMENT_AMOUNT_MISMATCH']);
      }
      const failed = await send({ ...paymentBody(order.id, 0), status: 'FAILED' });
      expect([failed.status, failed.body.code]).toEqual([422, 'PAYMENT_AMOUNT_MISMATCH']);
    });

    it.each<[string, (body: PaymentCallbackBody) => unknown, string]>([
      ['an unknown status', (body) => ({ ...body, status: 'PENDING' }), 'VALIDATION_FAILED'],
      ['a fractional amount', (body) => ({ ...body, amountCents: 10.5 }), 'VALIDATION_FAILED'],
      [
        'an amount as a string',
        (body) => ({ ...body, amountCents: String(body.amountCents) }),
        'VALIDATION_FAILED',
      ],
      ['a malformed order id', (body) => ({ ...body, orderId: '12ab' }), 'INVALID_ID'],
      ['a missing paidAt on success', (body) => ({ ...body, paidAt: null }), 'VALIDATION_FAILED'],
      ['an unknown field', (body) => ({ ...body, currency: 'CNY' }), 'VALIDATION_FAILED'],
      ['a bad notification id', (body) => ({ ...body, notificationId: 'a b' }), 'VALIDATION_FAILED'],
    ])('a signed body with %s is 400', async (_name, change, code) => {
      const answer = await send(change(paymentBody(order.id, order.totalCents)));
      expect([answer.status, answer.body.code]).toEqual([400, code]);
    });

    it('a signed callback for an order that does not exist is 404 ORDER_NOT_FOUND', async () => {
      const missing = encodeOrderId({
        timestampMs: Date.now(),
        shard: 7,
        worker: 63,
        sequence: 511,
      }).toString();
      const answer = await send(paymentBody(missing, 100));
      expect([answer.status, answer.body.code]).toEqual([404, 'ORDER_NOT_FOUND']);
    });
  });

  it('acknowledges a replayed notification and changes nothing, also when replayed concurrently', async () => {
    const order = await newOrder();
    const signed = signCallback(config.PAYMENT_WEBHOOK_SECRET, paymentBody(order.id, order.totalCents));
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        postPaymentCallback<CallbackAnswer>(running.url, signed.raw, signed.signature),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(200));
    const outcomes = answers.map((answer) => answer.body.outcome).sort();
    expect(outcomes).toEqual(['APPLIED', ...Array(11).fill('REPLAYED')]);
    const paid = await trail(order.id);
    expect([paid.status, paid.version, paid.notifications.length]).toEqual(['PAID', 2, 1]);

    const again = await postPaymentCallback<CallbackAnswer>(running.url, signed.raw, signed.signature);
    expect([again.status, again.body]).toEqual([200, { received: true, outcome: 'REPLAYED' }]);
    expect(await trail(order.id)).toEqual(paid);
  });

  it('records a failed payment and leaves the order payable until its deadline', async () => {
    const order = await newOrder();
    const failed = await send({ ...paymentBody(order.id, order.totalCents), status: 'FAILED', paidAt: null });
    expect([failed.status, failed.body.outcome]).toEqual([200, 'IGNORED_FAILED']);
    const afterFailure = await trail(order.id);
    expect([afterFailure.status, afterFailure.version]).toEqual(['CREATED', 1]);
    expect(afterFailure.notifications).toEqual([expect.objectContaining({ outcome: 'IGNORED_FAILED' })]);

    const paid = await send(paymentBody(order.id, order.totalCents));
    expect([paid.status, paid.body.outcome]).toEqual([200, 'APPLIED']);
    expect((await trail(order.id)).status).toBe('PAID');
  });

  it('keeps a payment for an already expired order and marks it for refund, never losing it', async () => {
    const order = await newOrder();
    await setOrderMoment(sources, router, order.id, 'payment_deadline', LONG_AGO);
    await sweeps.expiry.runShard(router.routeOrder(order.id).shard, { batchSize: 5 });
    expect((await trail(order.id)).status).toBe('CANCELLED');

    const body = paymentBody(order.id, order.totalCents);
    const answer = await send(body);
    expect([answer.status, answer.body]).toEqual([200, { received: true, outcome: 'REFUND_DUE' }]);
    const after = await trail(order.id);
    expect([after.status, after.version]).toEqual(['CANCELLED', 2]);
    expect(after.history[1]).toMatchObject({ to: 'CANCELLED', actor: 'system:expiry' });
    expect(after.notifications).toEqual([
      { notificationId: body.notificationId, outcome: 'REFUND_DUE', status: 'SUCCEEDED' },
    ]);
    expect(after.refunds).toEqual([
      {
        reason: 'PAID_AFTER_CANCELLATION',
        amountCents: order.totalCents,
        notificationId: body.notificationId,
      },
    ]);
    const replay = await send(body);
    expect(replay.body.outcome).toBe('REPLAYED');
    expect(await trail(order.id)).toEqual(after);
  });

  it('marks a second, distinct payment of a paid order for refund', async () => {
    const order = await newOrder();
    expect((await send(paymentBody(order.id, order.totalCents))).body.outcome).toBe('APPLIED');
    const second = paymentBody(order.id, order.totalCents);
    const answer = await send(second);
    expect(answer.body.outcome).toBe('REFUND_DUE');
    const after = await trail(order.id);
    expect([after.status, after.version]).toEqual(['PAID', 2]);
    expect(after.refunds).toEqual([
      { reason: 'DUPLICATE_PAYMENT', amountCents: order.totalCents, notificationId: second.notificationId },
    ]);
  });

  it('lets any notification id through once per order shard, not once per order', async () => {
    const first = await newOrder();
    const notificationId = newNotificationId();
    const answer = await send({ ...paymentBody(first.id, first.totalCents), notificationId });
    expect(answer.body.outcome).toBe('APPLIED');
  });
});
