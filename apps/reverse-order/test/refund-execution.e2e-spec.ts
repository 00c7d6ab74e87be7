import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { REDIS } from '@eos/cache';
import { EOS_CONFIG, EosConfig, mintToken } from '@eos/common';
import { Order, OrderEventType, PaymentStatus } from '@eos/domain';
import { envelopeOf, parseOrderEventEnvelope } from '@eos/messaging';
import { OrderTransitions, PaymentNotifications } from '@eos/ordering';
import {
  OrderTransitionRepository,
  PaymentNotificationRepository,
  RefundRepository,
  ShardDataSources,
} from '@eos/persistence';
import { OrderIdGenerator, ShardRouter, systemClock } from '@eos/sharding';
import {
  OrderEventTap,
  PartnerOrderFactory,
  PaymentProviderHarness,
  RunningApp,
  http,
  newMerchantId,
  startHttpApp,
} from '@eos/testing';
import { PaymentProviderClient } from '../src/refunds/payment-provider.client';
import { RefundIntake } from '../src/refunds/refund-intake.service';
import { RefundExecutor, RefundExecutorSettings } from '../src/refunds/refund.executor';
import { ReverseOrderModule } from '../src/reverse-order.module';

interface RefundRow {
  id: string;
  refund_due_id: string | null;
  reverse_request_id: string | null;
  amount_cents: string;
  bearer: string;
  reason: string;
  status: string;
  attempts: number;
  last_error: string | null;
  provider_refund_id: string | null;
}

interface RefundView {
  id: string;
  orderId: string;
  status: string;
  attempts: number;
  lastError: string | null;
  code?: string;
}

const MAX_ATTEMPTS = 3;
const PROVIDER_TIMEOUT_MS = 1500;
// Passes an executor loop may make before a test gives up (each a few milliseconds apart): a
// bound on work, not a timing assertion.
const MAX_PASSES = 400;

describe('refund execution (e2e: reverse-order on the real services, the simulated provider in process)', () => {
  let provider: PaymentProviderHarness;
  let reverse: RunningApp;
  let orders: PartnerOrderFactory;
  let payments: PaymentNotifications;
  let config: EosConfig;
  let router: ShardRouter;
  let sources: ShardDataSources;
  let transitions: OrderTransitions;
  let executor: RefundExecutor;
  let ids: OrderIdGenerator;

  beforeAll(async () => {
    const secret = 'refund-e2e-provider-secret';
    provider = await PaymentProviderHarness.start(secret);
    Object.assign(process.env, {
      PAYMENT_PROVIDER_URL: provider.url,
      PAYMENT_PROVIDER_SECRET: secret,
      PAYMENT_PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
      REFUND_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      REFUND_RETRY_BASE_MS: '10',
      // Passes run on demand here, never on a timer.
      REVERSE_WORK_INTERVAL_MS: '0',
    });
    // reverse-order alone: its relay publishes the order.cancelled events its intake consumes.
    reverse = await startHttpApp(ReverseOrderModule, 'reverse-order');
    config = reverse.app.get<EosConfig>(EOS_CONFIG);
    router = reverse.app.get(ShardRouter);
    sources = reverse.app.get(ShardDataSources);
    // Orders are checked out, paid and moved through the same libraries forward-order uses.
    orders = await PartnerOrderFactory.start(reverse.app.get(REDIS), sources, router);
    transitions = orders.transitions;
    payments = new PaymentNotifications(
      new OrderTransitionRepository(sources),
      new PaymentNotificationRepository(sources),
      router,
      systemClock,
    );
    executor = reverse.app.get(RefundExecutor);
    ids = reverse.app.get(OrderIdGenerator);
  });

  afterAll(async () => {
    await orders?.close();
    await reverse?.close();
    await provider?.close();
  });

  const staff = (staffId: string): string => mintToken(config.JWT_SECRET, 'staff', staffId);
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  const checkout = (): Promise<Order> => orders.created(newMerchantId());

  /** The provider's payment notification for the whole order; answers its outcome. */
  async function pay(order: Order): Promise<string> {
    const receipt = await payments.receive({
      notificationId: `ntf-${randomBytes(10).toString('hex')}`,
      orderId: order.id,
      amountCents: order.totalCents,
      status: PaymentStatus.Succeeded,
      paidAt: new Date(),
    });
    return receipt.outcome;
  }

  async function paidOrder(): Promise<Order> {
    const order = await checkout();
    expect(await pay(order)).toBe('APPLIED');
    return order;
  }

  async function query<T>(
    orderId: string,
    text: (schema: string) => string,
    params: unknown[] = [],
  ): Promise<T[]> {
    const route = router.routeOrder(orderId);
    return sources.get(route.database).query(text(route.schema), [orderId, ...params]);
  }

  const refundsOf = (orderId: string): Promise<RefundRow[]> =>
    query<RefundRow>(
      orderId,
      (s) => `SELECT id::text AS id, refund_due_id::text AS refund_due_id,
        reverse_request_id::text AS reverse_request_id, amount_cents::text AS amount_cents, bearer, reason, status,
        attempts, last_error, provider_refund_id FROM ${s}.refunds WHERE order_id = $1 ORDER BY id`,
    );

  const moneyOf = async (orderId: string): Promise<{ paid: number; refunded: number }> =>
    (
      await query<{ paid: number; refunded: number }>(
        orderId,
        (s) =>
          `SELECT paid_cents::int AS paid, refunded_cents::int AS refunded FROM ${s}.orders WHERE id = $1`,
      )
    )[0];

  const refundEventsOf = (orderId: string) =>
    query<{
      id: string;
      event_id: string;
      event_type: string;
      order_version: number;
      payload: {
        version: number;
        status: string;
        refund: { refundId: string; status: string; amountCents: number };
      };
      created_at: Date;
    }>(
      orderId,
      (
        s,
      ) => `SELECT id::text AS id, event_id::text AS event_id, event_type, order_version, payload, created_at
        FROM ${s}.outbox WHERE order_id = $1 AND event_type LIKE 'order.refund.%' ORDER BY id`,
    );

  /** Runs passes of the executors over the orders' shards, racing each other, until `done`. */
  async function executeUntil(
    orderIds: readonly string[],
    done: () => Promise<boolean>,
    executors: readonly RefundExecutor[] = [executor],
  ): Promise<void> {
    const shards = [...new Set(orderIds.map((id) => router.routeOrder(id).shard))];
    for (let pass = 0; pass < MAX_PASSES; pass += 1) {
      if (await done()) return;
      await Promise.all(shards.flatMap((shard) => executors.map((each) => each.runShard(shard))));
      await sleep(10);
    }
    expect(await done()).toBe(true);
  }

  const allSucceeded = (orderId: string) => async () =>
    (await refundsOf(orderId)).every((refund) => refund.status === 'SUCCEEDED');

  /**
   * What the approval flow writes for an approved refund request: the request, the money promised
   * back on the order, and a PENDING refund due now.
   */
  async function approvedRefund(order: Order, amountCents: number, bearer = 'MERCHANT'): Promise<string> {
    const shard = router.routeOrder(order.id).shard;
    const requestId = ids.next(shard);
    const refundId = ids.next(shard);
    await query(
      order.id,
      (s) => `WITH request AS (
  INSERT INTO ${s}.reverse_requests (id, order_id, user_id, merchant_id, kind, status, reason, amount_cents,
    currency, lines, requested_by, decided_by, bearer, version, created_at, updated_at)
  SELECT $2, o.id, o.user_id, o.merchant_id, 'REFUND', 'APPROVED', 'cold food', $4, o.currency, '[]',
    'customer:' || o.user_id, 'staff:2', $5, 2, now(), now()
  FROM ${s}.orders o WHERE o.id = $1
  RETURNING id, order_id, currency
), promised AS (
  UPDATE ${s}.orders SET refunded_cents = refunded_cents + $4 WHERE id = $1
)
INSERT INTO ${s}.refunds (id, order_id, reverse_request_id, amount_cents, currency, bearer, reason, status,
  attempts, next_attempt_at, created_at, updated_at)
SELECT $3, order_id, id, $4, currency, $5, 'cold food', 'PENDING', 0, now(), now(), now() FROM request`,
      [requestId, refundId, amountCents, bearer],
    );
    return refundId;
  }

  it('refunds a paid order the merchant rejects: order.cancelled -> intake -> provider -> SUCCEEDED', async () => {
    const tap = await OrderEventTap.create(config.RABBITMQ_URL, 'order.refund.#');
    try {
      const order = await paidOrder();
      await transitions.reject(order.id, 'out of stock', { merchantId: order.merchantId });

      // The intake consumer takes the refund from the order.cancelled event; no executor pass ran yet.
      for (let tries = 0; (await refundsOf(order.id)).length === 0 && tries < MAX_PASSES; tries += 1)
        await sleep(50);
      const [taken] = await refundsOf(order.id);
      expect(taken).toMatchObject({
        amount_cents: String(order.totalCents),
        bearer: 'MERCHANT',
        reason: 'MERCHANT_REJECTED',
        reverse_request_id: null,
      });
      expect(taken.refund_due_id).not.toBeNull();
      expect(await moneyOf(order.id)).toEqual({ paid: order.totalCents, refunded: order.totalCents });

      await executeUntil([order.id], allSucceeded(order.id));

      const [refund] = await refundsOf(order.id);
      const record = await provider.recordOf(order.id);
      expect(record.refunds).toEqual([
        expect.objectContaining({
          refundId: refund.id,
          amountCents: order.totalCents,
          idempotencyKey: refund.id,
        }),
      ]);
      expect(refund.provider_refund_id).toBe(record.refunds[0].providerRefundId);
      const due = await query<{ refunded_at: Date | null }>(
        order.id,
        (s) => `SELECT refunded_at FROM ${s}.refunds_due WHERE order_id = $1`,
      );
      expect(due).toEqual([{ refunded_at: expect.any(Date) }]);

      // The event sits in the order's outbox, shaped as every order event, and is published.
      const events = await refundEventsOf(order.id);
      expect(events.map((event) => event.event_type)).toEqual([OrderEventType.RefundCompleted]);
      const [event] = events;
      expect(event.payload).toMatchObject({
        status: 'CANCELLED',
        version: event.order_version,
        refund: { refundId: refund.id, status: 'SUCCEEDED', amountCents: order.totalCents },
      });
      const envelope = envelopeOf({
        shard: router.routeOrder(order.id).shard,
        id: event.id,
        eventId: event.event_id,
        orderId: order.id,
        eventType: event.event_type,
        orderVersion: event.order_version,
        payload: event.payload,
        createdAt: event.created_at,
      });
      expect(parseOrderEventEnvelope(Buffer.from(JSON.stringify(envelope))).eventType).toBe(
        OrderEventType.RefundCompleted,
      );
      await tap.drain((seen) => seen.some((each) => each.orderId === order.id), 30_000, 0);
      expect(tap.events.filter((each) => each.orderId === order.id).map((each) => each.routingKey)).toEqual([
        OrderEventType.RefundCompleted,
      ]);
    } finally {
      await tap.delete();
    }
  });

  it('refunds a payment that arrived for an expired order through the catch-up pass (no event announces it)', async () => {
    const order = await checkout();
    await transitions.expire(order.id);
    expect(await pay(order)).toBe('REFUND_DUE');

    const report = await executor.runShard(router.routeOrder(order.id).shard);
    expect(report.taken).toBeGreaterThanOrEqual(1);
    await executeUntil([order.id], allSucceeded(order.id));

    const [refund] = await refundsOf(order.id);
    expect(refund).toMatchObject({
      amount_cents: String(order.totalCents),
      bearer: 'PLATFORM',
      reason: 'PAID_AFTER_CANCELLATION',
      status: 'SUCCEEDED',
    });
    expect((await provider.recordOf(order.id)).refunds).toHaveLength(1);
    expect(await moneyOf(order.id)).toEqual({ paid: order.totalCents, refunded: order.totalCents });
  });

  it('executes a partial then a full refund of approved requests, and the database refuses any cent more', async () => {
    const order = await paidOrder();
    const part = Math.floor(order.totalCents / 3);
    const first = await approvedRefund(order, part);
    await executeUntil([order.id], allSucceeded(order.id));
    const rest = await approvedRefund(order, order.totalCents - part, 'PLATFORM');
    await executeUntil([order.id], allSucceeded(order.id));

    const refunds = await refundsOf(order.id);
    expect(refunds.map((refund) => [refund.id, refund.amount_cents, refund.status])).toEqual([
      [first, String(part), 'SUCCEEDED'],
      [rest, String(order.totalCents - part), 'SUCCEEDED'],
    ]);
    const paidOut = (await provider.recordOf(order.id)).refunds;
    expect(paidOut.map((refund) => [refund.refundId, refund.amountCents])).toEqual([
      [first, part],
      [rest, order.totalCents - part],
    ]);
    expect(await moneyOf(order.id)).toEqual({ paid: order.totalCents, refunded: order.totalCents });
    await expect(approvedRefund(order, 1)).rejects.toMatchObject({ code: '23514' });
    expect(await refundsOf(order.id)).toHaveLength(2);
  });

  it('retries with backoff, marks the refund FAILED after the last try, shows it to staff, and pays it on a staff retry', async () => {
    const order = await paidOrder();
    await provider.failNext(order.id, MAX_ATTEMPTS, 'error');
    await transitions.reject(order.id, 'closing early', { merchantId: order.merchantId });
    await executeUntil([order.id], async () => (await refundsOf(order.id))[0]?.status === 'FAILED');

    const [failed] = await refundsOf(order.id);
    expect(failed.attempts).toBe(MAX_ATTEMPTS);
    expect(failed.last_error).toMatch(/503/);
    expect((await refundEventsOf(order.id)).map((event) => event.event_type)).toEqual([
      OrderEventType.RefundFailed,
    ]);
    expect(await provider.recordOf(order.id)).toMatchObject({ calls: MAX_ATTEMPTS, refunds: [] });

    const listed = await http<{ items: RefundView[] }>(
      'GET',
      `${reverse.url}/v1/cs/refunds?status=FAILED&limit=200`,
      {
        token: staff('3'),
      },
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ id: failed.id, orderId: order.id, status: 'FAILED', attempts: MAX_ATTEMPTS }),
    );
    expect(
      (await http('GET', `${reverse.url}/v1/cs/refunds?status=PENDING`, { token: staff('3') })).status,
    ).toBe(400);
    expect((await http('GET', `${reverse.url}/v1/cs/refunds?status=FAILED`)).status).toBe(401);

    const retryOf = (refundId: string, token: string, body: unknown = { reason: 'provider is back' }) =>
      http<RefundView>('POST', `${reverse.url}/v1/cs/refunds/${refundId}/retry`, { token, body });
    // An agent may read but not retry; a supervisor may.
    expect([
      (await retryOf(failed.id, staff('3'))).status,
      (await retryOf(failed.id, staff('3'))).body.code,
    ]).toEqual([403, 'PERMISSION_DENIED']);
    expect((await retryOf(failed.id, staff('2'), {})).status).toBe(400);
    const unknown = await retryOf(ids.next(router.routeOrder(order.id).shard), staff('2'));
    expect([unknown.status, unknown.body.code]).toEqual([404, 'REFUND_NOT_FOUND']);
    expect((await retryOf('not-an-id', staff('2'))).status).toBe(400);

    const retried = await retryOf(failed.id, staff('2'));
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: failed.id, status: 'PENDING', attempts: 0 });
    const again = await retryOf(failed.id, staff('2'));
    expect([again.status, again.body.code]).toEqual([409, 'ILLEGAL_TRANSITION']);

    const audit = await query<{
      staff_id: string;
      action: string;
      before: unknown;
      after: unknown;
      reason: string;
    }>(
      order.id,
      (s) => `SELECT staff_id::text AS staff_id, action, before, after, reason FROM ${s}.audit_log
        WHERE order_id = $1 AND target = $2 ORDER BY id`,
      [`refund:${failed.id}`],
    );
    expect(audit).toEqual([
      {
        staff_id: '2',
        action: 'refund.retry',
        before: expect.objectContaining({ status: 'FAILED', attempts: MAX_ATTEMPTS }),
        after: expect.objectContaining({ status: 'PENDING', attempts: 0 }),
        reason: 'provider is back',
      },
    ]);

    await executeUntil([order.id], allSucceeded(order.id));
    const record = await provider.recordOf(order.id);
    expect(record.calls).toBe(MAX_ATTEMPTS + 1);
    expect(record.refunds.map((refund) => refund.refundId)).toEqual([failed.id]);
    expect((await refundEventsOf(order.id)).map((event) => event.event_type)).toEqual([
      OrderEventType.RefundFailed,
      OrderEventType.RefundCompleted,
    ]);
    const listedAfter = await http<{ items: RefundView[] }>(
      'GET',
      `${reverse.url}/v1/cs/refunds?status=FAILED&limit=200`,
      {
        token: staff('2'),
      },
    );
    expect(listedAfter.body.items.map((item) => item.id)).not.toContain(failed.id);
  });

  it('pays once when the provider answers too late: the retry under the same key gets the same refund', async () => {
    const order = await paidOrder();
    await provider.failNext(order.id, 1, 'timeout');
    await approvedRefund(order, order.totalCents);
    await executeUntil([order.id], allSucceeded(order.id));
    const [refund] = await refundsOf(order.id);
    expect(refund.attempts).toBe(2);
    expect(refund.last_error).toMatch(/no answer within/);
    const record = await provider.recordOf(order.id);
    expect(record.calls).toBe(2);
    expect(record.refunds.map((paid) => paid.providerRefundId)).toEqual([refund.provider_refund_id]);
  });

  it('fails a refund at once when the provider refuses the call as it is (a wrong secret: 401)', async () => {
    const order = await paidOrder();
    const refundId = await approvedRefund(order, order.totalCents);
    const misconfigured = new RefundExecutor(
      reverse.app.get(RefundRepository),
      reverse.app.get(RefundIntake),
      new PaymentProviderClient({
        url: provider.url,
        secret: 'not-the-secret-the-provider-knows',
        timeoutMs: PROVIDER_TIMEOUT_MS,
      }),
      router,
      systemClock,
      {
        retry: { maxAttempts: MAX_ATTEMPTS, baseDelayMs: 10 },
        leaseMs: 60_000,
        batchSize: 20,
        shardParallelism: 1,
        callParallelism: 1,
      },
    );
    await executeUntil([order.id], async () => (await refundsOf(order.id))[0].status !== 'PENDING', [
      misconfigured,
    ]);
    const [refund] = await refundsOf(order.id);
    expect(refund).toMatchObject({ id: refundId, status: 'FAILED', attempts: 1 });
    expect(refund.last_error).toMatch(/401/);
    expect(await provider.recordOf(order.id)).toMatchObject({ calls: 0, refunds: [] });
  });

  describe('50 approved refunds and two executors racing over them', () => {
    const ORDERS = 10;
    const REFUNDS_PER_ORDER = 5;

    function executorWith(leaseMs: number): RefundExecutor {
      const settings: RefundExecutorSettings = {
        retry: { maxAttempts: MAX_ATTEMPTS, baseDelayMs: 10 },
        leaseMs,
        batchSize: 20,
        shardParallelism: 2,
        callParallelism: 4,
      };
      return new RefundExecutor(
        reverse.app.get(RefundRepository),
        reverse.app.get(RefundIntake),
        new PaymentProviderClient({
          url: provider.url,
          secret: config.PAYMENT_PROVIDER_SECRET,
          timeoutMs: PROVIDER_TIMEOUT_MS,
        }),
        router,
        systemClock,
        settings,
      );
    }

    async function fiftyApprovals(): Promise<{ orders: Order[]; refunds: Map<string, string[]> }> {
      const orders = await Promise.all(Array.from({ length: ORDERS }, () => paidOrder()));
      const refunds = new Map<string, string[]>();
      await Promise.all(
        orders.map(async (order) => {
          const share = Math.floor(order.totalCents / REFUNDS_PER_ORDER);
          const made = await Promise.all(
            Array.from({ length: REFUNDS_PER_ORDER }, () => approvedRefund(order, share)),
          );
          refunds.set(order.id, made.sort());
        }),
      );
      return { orders, refunds };
    }

    async function expectPaidExactlyOnce(
      orders: readonly Order[],
      refunds: ReadonlyMap<string, string[]>,
    ): Promise<number> {
      let calls = 0;
      for (const order of orders) {
        const record = await provider.recordOf(order.id);
        calls += record.calls;
        expect(record.refunds.map((paid) => paid.refundId).sort()).toEqual(refunds.get(order.id));
        const rows = await refundsOf(order.id);
        expect(rows.map((row) => row.status)).toEqual(Array(REFUNDS_PER_ORDER).fill('SUCCEEDED'));
        expect(rows.map((row) => row.provider_refund_id).sort()).toEqual(
          record.refunds.map((paid) => paid.providerRefundId).sort(),
        );
        const events = await refundEventsOf(order.id);
        expect(events.map((event) => event.payload.refund.refundId).sort()).toEqual(refunds.get(order.id));
      }
      return calls;
    }

    it('claims each refund once: every refund is called and paid exactly once', async () => {
      const { orders, refunds } = await fiftyApprovals();
      const ids = orders.map((order) => order.id);
      const done = async () => (await Promise.all(ids.map((id) => allSucceeded(id)()))).every(Boolean);
      await executeUntil(ids, done, [executorWith(60_000), executorWith(60_000)]);
      expect(await expectPaidExactlyOnce(orders, refunds)).toBe(ORDERS * REFUNDS_PER_ORDER);
    });

    it('pays each refund once even when claimed twice (a crashed claimant, leases run out): the refund id is the key', async () => {
      const { orders, refunds } = await fiftyApprovals();
      const ids = orders.map((order) => order.id);
      // An executor that called the provider for the first refund of each order, then died before
      // recording the answer: the provider paid, the refund is still PENDING.
      const client = new PaymentProviderClient({
        url: provider.url,
        secret: config.PAYMENT_PROVIDER_SECRET,
        timeoutMs: PROVIDER_TIMEOUT_MS,
      });
      const paidBeforeCrash: { orderId: string; refundId: string; providerRefundId: string }[] = [];
      for (const order of orders) {
        const [first] = await refundsOf(order.id);
        const outcome = await client.refund({
          refundId: first.id,
          orderId: order.id,
          amountCents: Number(first.amount_cents),
          currency: order.currency,
        });
        if (outcome.kind !== 'paid') throw new Error(`provider refused: ${JSON.stringify(outcome)}`);
        paidBeforeCrash.push({
          orderId: order.id,
          refundId: first.id,
          providerRefundId: outcome.providerRefundId,
        });
      }
      const done = async () => (await Promise.all(ids.map((id) => allSucceeded(id)()))).every(Boolean);
      // A lease of 0 hands every claimed refund straight back: both executors may call for it.
      await executeUntil(ids, done, [executorWith(0), executorWith(0)]);
      const calls = await expectPaidExactlyOnce(orders, refunds);
      expect(calls).toBeGreaterThanOrEqual(ORDERS * REFUNDS_PER_ORDER + ORDERS);
      for (const crashed of paidBeforeCrash) {
        const row = (await refundsOf(crashed.orderId)).find((refund) => refund.id === crashed.refundId);
        expect(row?.provider_refund_id).toBe(crashed.providerRefundId);
      }
    });
  });
});
