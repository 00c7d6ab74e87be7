import 'reflect-metadata';
import { randomInt } from 'node:crypto';
import { FencedLease, FencedLock, REDIS } from '@eos/cache';
import { EOS_CONFIG, EosConfig, mintToken } from '@eos/common';
import {
  FencedOutError,
  OrderSweeps,
  OrderTransitions,
  PaymentNotifications,
  sweepLockName,
} from '@eos/ordering';
import { ShardDataSources } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import {
  LONG_AGO,
  OrderTrail,
  RunningApp,
  checkoutBody,
  http,
  newIdempotencyKey,
  newNotificationId,
  readOrderTrail,
  setOrderMoment,
  startHttpApp,
  trailProblems,
} from '@eos/testing';
import Redis from 'ioredis';
import { ForwardOrderModule } from '../src/forward-order.module';

interface Placed {
  id: string;
  userId: string;
  totalCents: number;
}

describe('deadline sweeps (e2e, real Postgres and Redis)', () => {
  let running: RunningApp;
  let config: EosConfig;
  let router: ShardRouter;
  let sources: ShardDataSources;
  let transitions: OrderTransitions;
  let payments: PaymentNotifications;
  let sweeps: OrderSweeps;
  let lock: FencedLock;

  beforeAll(async () => {
    running = await startHttpApp(ForwardOrderModule, 'forward-order');
    config = running.app.get<EosConfig>(EOS_CONFIG);
    router = running.app.get(ShardRouter);
    sources = running.app.get(ShardDataSources);
    transitions = running.app.get(OrderTransitions);
    payments = running.app.get(PaymentNotifications);
    sweeps = running.app.get(OrderSweeps);
    lock = new FencedLock(running.app.get<Redis>(REDIS));
  });

  afterAll(async () => {
    await running.close();
  });

  async function place(shard = randomInt(0, 120)): Promise<Placed> {
    const userId = String(BigInt(randomInt(1, 2 ** 40)) * 120n + BigInt(shard));
    const response = await http<{ id: string; totalCents: number }>('POST', `${running.url}/v1/orders`, {
      token: mintToken(config.JWT_SECRET, 'customer', userId),
      body: checkoutBody(),
      headers: { 'idempotency-key': newIdempotencyKey() },
    });
    expect(response.status).toBe(201);
    return { ...response.body, userId };
  }

  async function pay(order: Placed): Promise<void> {
    const receipt = await payments.receive({
      notificationId: newNotificationId(),
      orderId: order.id,
      amountCents: order.totalCents,
      status: 'SUCCEEDED',
      paidAt: new Date(),
    });
    expect(receipt.outcome).toBe('APPLIED');
  }

  async function deliver(order: Placed): Promise<void> {
    await pay(order);
    await transitions.accept(order.id);
    await transitions.pickUp(order.id);
    await transitions.deliver(order.id);
  }

  async function trail(orderId: string): Promise<OrderTrail> {
    const found = await readOrderTrail(sources, router, orderId);
    if (!found) throw new Error(`order ${orderId} vanished`);
    expect(trailProblems(found)).toEqual([]);
    return found;
  }

  const shardOf = (order: Placed): number => router.routeOrder(order.id).shard;

  /** The lock, waiting a little if another instance's sweep holds it right now. */
  async function acquireSoon(name: string, ttlMs: number): Promise<FencedLease> {
    for (let attempt = 0; attempt < 150; attempt += 1) {
      const lease = await lock.acquire(name, ttlMs);
      if (lease) return lease;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`${name} stayed locked`);
  }

  it('expires an overdue unpaid order once, and leaves one still inside its payment window', async () => {
    const overdue = await place();
    const fresh = await place(shardOf(overdue));
    await setOrderMoment(sources, router, overdue.id, 'payment_deadline', LONG_AGO);
    await sweeps.expiry.runShard(shardOf(overdue), { batchSize: 5 });
    await sweeps.expiry.runShard(shardOf(overdue), { batchSize: 5 });
    const expired = await trail(overdue.id);
    expect([expired.status, expired.version, expired.history[1].actor]).toEqual([
      'CANCELLED',
      2,
      'system:expiry',
    ]);
    expect(expired.refunds).toEqual([]);
    expect((await trail(fresh.id)).status).toBe('CREATED');
  });

  it('rejects a paid order the merchant left unaccepted past the window, with its refund, and no other', async () => {
    const late = await place();
    const recent = await place(shardOf(late));
    await pay(late);
    await pay(recent);
    await setOrderMoment(sources, router, late.id, 'paid_at', LONG_AGO);
    await sweeps.acceptanceDeadline.runShard(shardOf(late), { batchSize: 5 });
    const rejected = await trail(late.id);
    expect([rejected.status, rejected.history[2].actor, rejected.history[2].reason]).toEqual([
      'CANCELLED',
      'system:acceptance-deadline',
      'not accepted in time',
    ]);
    expect(rejected.refunds).toEqual([
      {
        reason: 'ACCEPTANCE_TIMEOUT',
        amountCents: late.totalCents,
        notificationId: rejected.notifications[0].notificationId,
      },
    ]);
    expect((await trail(recent.id)).status).toBe('PAID');
  });

  it('completes a delivered order once its after-sale window closed, not before, and not while a reverse request is open', async () => {
    const closed = await place();
    const open = await place(shardOf(closed));
    const recent = await place(shardOf(closed));
    for (const order of [closed, open, recent]) await deliver(order);
    await setOrderMoment(sources, router, closed.id, 'delivered_at', LONG_AGO);
    await setOrderMoment(sources, router, open.id, 'delivered_at', LONG_AGO);
    const { database, schema } = router.routeOrder(open.id);
    // What the reverse flow does when a customer asks for a refund after delivery.
    await sources
      .get(database)
      .query(`UPDATE ${schema}.orders SET open_reverse_requests = 1 WHERE id = $1`, [open.id]);

    const report = await sweeps.completion.runShard(shardOf(closed), { batchSize: 5 });
    expect(report.fencedOutShards).toBe(0);
    const completed = await trail(closed.id);
    expect([completed.status, completed.history[5].actor]).toEqual(['COMPLETED', 'system:completion']);
    expect((await trail(recent.id)).status).toBe('DELIVERED');
    expect((await trail(open.id)).status).toBe('DELIVERED');
    const refused = await http<{ code: string }>(
      'POST',
      `${running.url}/v1/orders/${open.id}/confirm-receipt`,
      {
        token: mintToken(config.JWT_SECRET, 'customer', open.userId),
      },
    );
    expect([refused.status, refused.body.code]).toEqual([409, 'ILLEGAL_TRANSITION']);

    await sources
      .get(database)
      .query(`UPDATE ${schema}.orders SET open_reverse_requests = 0 WHERE id = $1`, [open.id]);
    await sweeps.completion.runShard(shardOf(closed), { batchSize: 5 });
    expect((await trail(open.id)).status).toBe('COMPLETED');
  });

  it('refuses the writes of a completion sweep whose lease expired once a newer holder has written', async () => {
    const first = await place();
    const second = await place(shardOf(first));
    await deliver(first);
    await deliver(second);
    const name = sweepLockName('completion', router.userSchema(shardOf(first)));

    const paused = await acquireSoon(name, 50);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const successor = await acquireSoon(name, 30_000);
    expect(successor.token).toBeGreaterThan(paused.token);
    try {
      // Due only now, under the successor's lock: no other instance's sweep can take them first.
      await setOrderMoment(sources, router, first.id, 'delivered_at', LONG_AGO);
      await setOrderMoment(sources, router, second.id, 'delivered_at', LONG_AGO);
      await transitions.complete(first.id, { name: 'completion', token: successor.token });
      const beforeStale = await trail(second.id);
      await expect(
        transitions.complete(second.id, { name: 'completion', token: paused.token }),
      ).rejects.toBeInstanceOf(FencedOutError);
      expect(await trail(second.id)).toEqual(beforeStale);
      // While the successor holds the lock, the sweep leaves the shard alone.
      expect((await sweeps.completion.runShard(shardOf(first), { batchSize: 5 })).busyShards).toBe(1);
      await paused.release();
      expect((await sweeps.completion.runShard(shardOf(first), { batchSize: 5 })).busyShards).toBe(1);
    } finally {
      await successor.release();
    }
    expect((await trail(first.id)).status).toBe('COMPLETED');
    expect((await trail(second.id)).status).toBe('DELIVERED');
    await sweeps.completion.runShard(shardOf(first), { batchSize: 5 });
    const later = await trail(second.id);
    expect([later.status, later.history[5].actor]).toEqual(['COMPLETED', 'system:completion']);
  });

  it('sweeps every shard in one pass', async () => {
    const order = await place();
    // Older than what any other test backdates to, so it heads its shard's queue of one.
    await setOrderMoment(
      sources,
      router,
      order.id,
      'payment_deadline',
      new Date(LONG_AGO.getTime() - 86_400_000),
    );
    const report = await sweeps.expiry.runOnce({ batchSize: 1 });
    expect(report.failed).toBe(0);
    expect((await trail(order.id)).status).toBe('CANCELLED');
  });
});
