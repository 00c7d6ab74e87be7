import 'reflect-metadata';
import { ServiceError, status } from '@grpc/grpc-js';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { REDIS } from '@eos/cache';
import { BlinkClient, isServiceError } from '@eos/common';
import { CancellationEscalation } from '@eos/ordering';
import { ReverseOrderFactory, createPartner, newMerchantId, trailProblems } from '@eos/testing';
import type Redis from 'ioredis';
import { RunningBlink, startBlink } from './blink.harness';

async function failure(call: Promise<unknown>): Promise<ServiceError> {
  try {
    await call;
  } catch (error) {
    if (isServiceError(error)) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

function errorCode(error: ServiceError): string | undefined {
  return error.metadata?.get('eos-error-code')[0] as string | undefined;
}

describe('osc-blink: a merchant decides a customer’s cancellation request (e2e over gRPC)', () => {
  let blink: RunningBlink;
  let orders: ReverseOrderFactory;
  let merchantId: string;
  let merchant: BlinkClient;
  let otherMerchant: BlinkClient;

  const decide = (client: BlinkClient, request: object) =>
    client.unary('MerchantOrders', 'DecideCancellation', request, { deadlineMs: 5000 });

  beforeAll(async () => {
    blink = await startBlink();
    orders = await ReverseOrderFactory.start(blink.app.get<Redis>(REDIS), blink.sources, blink.router);
    merchantId = newMerchantId();
    merchant = blink.client(await createPartner(blink.credentials, { merchantIds: [merchantId] }));
    otherMerchant = blink.client(await createPartner(blink.credentials, { merchantIds: [newMerchantId()] }));
  });

  afterAll(async () => {
    await orders?.close();
    await blink?.close();
  });

  it('APPROVE cancels the order and marks its payment for refund, borne by the merchant, closing the request', async () => {
    const order = await orders.accepted({ merchantId });
    const opened = await orders.requestCancellation(order, 'ordered the wrong dish');
    expect(opened.request.status).toBe('AWAITING_MERCHANT');

    const denied = await failure(
      decide(otherMerchant, { orderId: order.id, decision: 'CANCELLATION_DECISION_APPROVE' }),
    );
    expect([denied.code, errorCode(denied)]).toEqual([status.PERMISSION_DENIED, 'FORBIDDEN']);

    const reply = await decide(merchant, {
      orderId: order.id,
      decision: 'CANCELLATION_DECISION_APPROVE',
      reason: ' no problem ',
    });
    expect(reply).toMatchObject({ order: { id: order.id, status: 'ORDER_STATUS_CANCELLED' } });
    const trail = await orders.trail(order.id);
    expect(trailProblems(trail)).toEqual([]);
    expect(trail.history[3]).toMatchObject({
      from: 'ACCEPTED',
      to: 'CANCELLED',
      actor: 'merchant',
      reason: 'no problem',
    });
    expect(await orders.refundsDue(order.id)).toEqual([
      { reason: 'CANCELLATION_APPROVED', amountCents: order.totalCents, bearer: 'MERCHANT' },
    ]);
    expect((await orders.money(order.id)).openReverseRequests).toBe(0);

    const again = await failure(
      decide(merchant, { orderId: order.id, decision: 'CANCELLATION_DECISION_REFUSE' }),
    );
    expect([again.code, errorCode(again)]).toEqual([status.FAILED_PRECONDITION, 'ILLEGAL_TRANSITION']);
  });

  it('REFUSE closes the request and the order goes on', async () => {
    const order = await orders.accepted({ merchantId });
    await orders.requestCancellation(order);
    const reply = await decide(merchant, {
      orderId: order.id,
      decision: 'CANCELLATION_DECISION_REFUSE',
      merchantId,
    });
    expect(reply).toMatchObject({ order: { id: order.id, status: 'ORDER_STATUS_ACCEPTED', version: 3 } });
    expect(await orders.money(order.id)).toMatchObject({ openReverseRequests: 0 });
    expect(await orders.refundsDue(order.id)).toEqual([]);
    // The order can move on: nothing holds it.
    await expect(orders.transitions.markReady(order.id, { merchantId })).resolves.toMatchObject({
      status: 'READY',
    });
  });

  it('refuses once the request escalated to customer service, and without an open request', async () => {
    const order = await orders.accepted({ merchantId });
    const opened = await orders.requestCancellation(order);
    await orders.expireMerchantDeadline(opened.request.id);
    const report = await blink.app.get(CancellationEscalation).runOnce();
    expect(report.escalated.map((request) => request.id)).toContain(opened.request.id);

    const late = await failure(
      decide(merchant, { orderId: order.id, decision: 'CANCELLATION_DECISION_APPROVE' }),
    );
    expect([late.code, errorCode(late)]).toEqual([status.FAILED_PRECONDITION, 'ILLEGAL_TRANSITION']);

    const plain = await orders.accepted({ merchantId });
    const none = await failure(
      decide(merchant, { orderId: plain.id, decision: 'CANCELLATION_DECISION_APPROVE' }),
    );
    expect([none.code, errorCode(none)]).toEqual([status.FAILED_PRECONDITION, 'ILLEGAL_TRANSITION']);
    const trail = await orders.trail(order.id);
    expect([trail.status, trail.version]).toEqual(['ACCEPTED', 3]);
  });

  it('gives a decision stuck behind a lock DEADLINE_EXCEEDED, and Postgres cancels its transaction', async () => {
    const order = await orders.accepted({ merchantId });
    await orders.requestCancellation(order);
    const route = blink.router.routeOrder(order.id);
    const locker = new Client({ connectionString: blink.router.databaseUrl(route.database) });
    await locker.connect();
    const waitersBehind = async (): Promise<number> =>
      (
        await locker.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))`,
        )
      ).rows[0].n;
    try {
      await locker.query('BEGIN');
      await locker.query(`SELECT id FROM ${route.schema}.orders WHERE id = $1 FOR UPDATE`, [order.id]);
      const call = failure(
        merchant.unary(
          'MerchantOrders',
          'DecideCancellation',
          { orderId: order.id, decision: 'CANCELLATION_DECISION_APPROVE' },
          { deadlineMs: 300 },
        ),
      );
      expect((await call).code).toBe(status.DEADLINE_EXCEEDED);
      // The server's transaction does not keep waiting for a caller who gave up.
      const until = Date.now() + 1000;
      while ((await waitersBehind()) > 0 && Date.now() < until) await sleep(10);
      expect(await waitersBehind()).toBe(0);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    await sleep(100);
    expect((await orders.trail(order.id)).status).toBe('ACCEPTED');
    expect((await orders.money(order.id)).openReverseRequests).toBe(1);
    const reply = await decide(merchant, { orderId: order.id, decision: 'CANCELLATION_DECISION_APPROVE' });
    expect(reply).toMatchObject({ order: { status: 'ORDER_STATUS_CANCELLED' } });
  });

  it('refuses malformed decisions with INVALID_ARGUMENT before reading anything', async () => {
    const order = await orders.accepted({ merchantId });
    await orders.requestCancellation(order);
    for (const request of [
      { orderId: order.id },
      { orderId: order.id, decision: 'CANCELLATION_DECISION_UNSPECIFIED' },
      { orderId: order.id, decision: 7 },
      { orderId: 'abc', decision: 'CANCELLATION_DECISION_APPROVE' },
      { orderId: order.id, decision: 'CANCELLATION_DECISION_APPROVE', reason: 'x'.repeat(201) },
    ]) {
      const error = await failure(decide(merchant, request));
      expect([JSON.stringify(request), error.code]).toEqual([
        JSON.stringify(request),
        status.INVALID_ARGUMENT,
      ]);
    }
    expect((await orders.money(order.id)).openReverseRequests).toBe(1);
  });
});
