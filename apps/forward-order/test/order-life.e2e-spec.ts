import 'reflect-metadata';
import { EOS_CONFIG, EosConfig, mintToken } from '@eos/common';
import { OrderTransitions } from '@eos/ordering';
import { ShardDataSources } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import {
  RunningApp,
  checkoutBody,
  http,
  newIdempotencyKey,
  newUserId,
  paymentBody,
  postPaymentCallback,
  readOrderTrail,
  signCallback,
  startHttpApp,
  trailProblems,
} from '@eos/testing';
import { ForwardOrderModule } from '../src/forward-order.module';

interface OrderBody {
  id: string;
  merchantId: string;
  status: string;
  version: number;
  totalCents: number;
}

interface ErrorBody {
  statusCode: number;
  code: string;
}

describe('the forward life of an order (e2e, real Postgres and Redis)', () => {
  let running: RunningApp;
  let config: EosConfig;
  let router: ShardRouter;
  let sources: ShardDataSources;
  let transitions: OrderTransitions;

  const token = (userId: string): string => mintToken(config.JWT_SECRET, 'customer', userId);

  beforeAll(async () => {
    running = await startHttpApp(ForwardOrderModule, 'forward-order');
    config = running.app.get<EosConfig>(EOS_CONFIG);
    router = running.app.get(ShardRouter);
    sources = running.app.get(ShardDataSources);
    transitions = running.app.get(OrderTransitions);
  });

  afterAll(async () => {
    await running.close();
  });

  it('walks checkout, payment, accept, ready, pickup, delivery and confirmation to COMPLETED, all recorded', async () => {
    const userId = newUserId();
    const created = await http<OrderBody>('POST', `${running.url}/v1/orders`, {
      token: token(userId),
      body: checkoutBody(),
      headers: { 'idempotency-key': newIdempotencyKey() },
    });
    expect(created.status).toBe(201);
    const order = created.body;

    const payment = paymentBody(order.id, order.totalCents);
    const signed = signCallback(config.PAYMENT_WEBHOOK_SECRET, payment);
    const paid = await postPaymentCallback<{ received: boolean; outcome: string }>(
      running.url,
      signed.raw,
      signed.signature,
    );
    expect([paid.status, paid.body]).toEqual([200, { received: true, outcome: 'APPLIED' }]);

    await transitions.accept(order.id, { merchantId: order.merchantId });
    await transitions.markReady(order.id);
    await transitions.pickUp(order.id);
    await transitions.deliver(order.id);

    const confirmed = await http<OrderBody>('POST', `${running.url}/v1/orders/${order.id}/confirm-receipt`, {
      token: token(userId),
    });
    expect(confirmed.status).toBe(200);
    expect([confirmed.body.status, confirmed.body.version]).toEqual(['COMPLETED', 7]);

    const read = await http<OrderBody>('GET', `${running.url}/v1/orders/${order.id}`, {
      token: token(userId),
    });
    expect([read.body.status, read.body.version]).toEqual(['COMPLETED', 7]);

    const trail = await readOrderTrail(sources, router, order.id);
    expect(trail).not.toBeNull();
    if (!trail) return;
    expect(trailProblems(trail)).toEqual([]);
    expect(trail.history.map((entry) => [entry.version, entry.from, entry.to, entry.actor])).toEqual([
      [1, null, 'CREATED', 'customer'],
      [2, 'CREATED', 'PAID', 'payment-provider'],
      [3, 'PAID', 'ACCEPTED', 'merchant'],
      [4, 'ACCEPTED', 'READY', 'merchant'],
      [5, 'READY', 'DELIVERING', 'rider'],
      [6, 'DELIVERING', 'DELIVERED', 'rider'],
      [7, 'DELIVERED', 'COMPLETED', 'customer'],
    ]);
    expect(trail.outbox.map((event) => event.eventType)).toEqual([
      'order.created',
      'order.paid',
      'order.accepted',
      'order.ready',
      'order.delivering',
      'order.delivered',
      'order.completed',
    ]);
    expect(trail.notifications).toEqual([
      { notificationId: payment.notificationId, outcome: 'APPLIED', status: 'SUCCEEDED' },
    ]);
    expect(trail.refunds).toEqual([]);
    expect(trail.paidAt && trail.deliveredAt && trail.completedAt).toBeTruthy();
  });

  describe('illegal transitions answer ILLEGAL_TRANSITION and change nothing', () => {
    it('refuses every step out of order, over HTTP and through the shared operations', async () => {
      const userId = newUserId();
      const created = await http<OrderBody>('POST', `${running.url}/v1/orders`, {
        token: token(userId),
        body: checkoutBody(),
        headers: { 'idempotency-key': newIdempotencyKey() },
      });
      const orderId = created.body.id;
      const before = await readOrderTrail(sources, router, orderId);

      const early = await http<ErrorBody>('POST', `${running.url}/v1/orders/${orderId}/confirm-receipt`, {
        token: token(userId),
      });
      expect([early.status, early.body.code]).toEqual([409, 'ILLEGAL_TRANSITION']);
      for (const step of [
        () => transitions.accept(orderId),
        () => transitions.markReady(orderId),
        () => transitions.pickUp(orderId),
        () => transitions.deliver(orderId),
        () => transitions.reject(orderId, 'too busy'),
        () => transitions.autoReject(orderId),
      ]) {
        await expect(step()).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
      }
      expect(await readOrderTrail(sources, router, orderId)).toEqual(before);
    });

    it('lets only the customer who owns it confirm receipt, and refuses malformed ids', async () => {
      const userId = newUserId();
      const created = await http<OrderBody>('POST', `${running.url}/v1/orders`, {
        token: token(userId),
        body: checkoutBody(),
        headers: { 'idempotency-key': newIdempotencyKey() },
      });
      const orderId = created.body.id;
      const stranger = await http<ErrorBody>('POST', `${running.url}/v1/orders/${orderId}/confirm-receipt`, {
        token: token(String(BigInt(userId) + 120n)),
      });
      expect([stranger.status, stranger.body.code]).toEqual([404, 'ORDER_NOT_FOUND']);
      const otherShard = await http<ErrorBody>(
        'POST',
        `${running.url}/v1/orders/${orderId}/confirm-receipt`,
        {
          token: token(String(BigInt(userId) + 1n)),
        },
      );
      expect([otherShard.status, otherShard.body.code]).toEqual([404, 'ORDER_NOT_FOUND']);
      const anonymous = await http<ErrorBody>('POST', `${running.url}/v1/orders/${orderId}/confirm-receipt`);
      expect([anonymous.status, anonymous.body.code]).toEqual([401, 'UNAUTHENTICATED']);
      const malformed = await http<ErrorBody>('POST', `${running.url}/v1/orders/12x/confirm-receipt`, {
        token: token(userId),
      });
      expect([malformed.status, malformed.body.code]).toEqual([400, 'INVALID_ID']);
    });

    it('refuses a merchant acting on another merchant’s order with FORBIDDEN', async () => {
      const userId = newUserId();
      const body = checkoutBody(321);
      const created = await http<OrderBody>('POST', `${running.url}/v1/orders`, {
        token: token(userId),
        body,
        headers: { 'idempotency-key': newIdempotencyKey() },
      });
      await expect(transitions.accept(created.body.id, { merchantId: '322' })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    });
  });
});
