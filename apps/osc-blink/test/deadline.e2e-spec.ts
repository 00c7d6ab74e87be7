import 'reflect-metadata';
import { status } from '@grpc/grpc-js';
import { Client } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { BlinkClient, isServiceError } from '@eos/common';
import { Order } from '@eos/domain';
import { createPartner, newDeliveryPartnerId, newMerchantId, readOrderTrail } from '@eos/testing';
import { RunningBlink, startBlink } from './blink.harness';

describe('osc-blink: the caller’s deadline bounds the work downstream (e2e, Postgres slowed)', () => {
  let blink: RunningBlink;
  let merchantId: string;
  let merchant: BlinkClient;

  beforeAll(async () => {
    blink = await startBlink();
    merchantId = newMerchantId();
    merchant = blink.client(await createPartner(blink.credentials, { merchantIds: [merchantId] }));
  });

  afterAll(async () => {
    await blink.close();
  });

  /**
   * Holds the order's row lock from another session, so that any write to it waits: Postgres
   * slowed exactly where the call goes. Returns the session, to release the lock and to find
   * whoever waits behind it.
   */
  async function lockOrderRow(order: Order): Promise<Client> {
    const route = blink.router.routeOrder(order.id);
    const locker = new Client({ connectionString: blink.router.databaseUrl(route.database) });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query(`SELECT id FROM ${route.schema}.orders WHERE id = $1 FOR UPDATE`, [order.id]);
    return locker;
  }

  async function waitersBehind(locker: Client): Promise<number> {
    const rows: { n: number }[] = (
      await locker.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))`,
      )
    ).rows;
    return rows[0].n;
  }

  /** The call's gRPC status code (timing belongs in bench:blink's deadline probe, not here). */
  async function statusOf(call: Promise<unknown>): Promise<{ code: number | undefined }> {
    try {
      await call;
      return { code: status.OK };
    } catch (error) {
      return { code: isServiceError(error) ? error.code : undefined };
    }
  }

  it.each([
    ['AcceptOrder', 'a merchant accepting'],
    ['PickUpOrder', 'a rider picking up'],
  ])(
    'answers %s (%s) with a 200 ms deadline DEADLINE_EXCEEDED, and Postgres cancels the write',
    async (method) => {
      const deliveryPartnerId = newDeliveryPartnerId();
      const rider = blink.client(await createPartner(blink.credentials, { deliveryPartnerId }));
      const order =
        method === 'AcceptOrder'
          ? await blink.orders.paid(merchantId)
          : await blink.orders.accepted(merchantId);
      await blink.orders.assign(order.id, deliveryPartnerId);
      const [client, service] =
        method === 'AcceptOrder' ? [merchant, 'MerchantOrders' as const] : [rider, 'DeliveryOrders' as const];
      const locker = await lockOrderRow(order);
      try {
        const call = client.unary(service, method, { orderId: order.id }, { deadlineMs: 200 });
        // Meanwhile the server's write waits behind the lock...
        await sleep(100);
        expect(await waitersBehind(locker)).toBe(1);
        // No wall-clock bound here (timing belongs in benchmarks): what matters is the status and
        // that the server's own work is cancelled, checked next.
        const { code } = await statusOf(call);
        expect(code).toBe(status.DEADLINE_EXCEEDED);
        // ...and is cancelled by Postgres at the deadline, not left waiting for the lock.
        const until = Date.now() + 200;
        while ((await waitersBehind(locker)) > 0 && Date.now() < until) await sleep(10);
        expect(await waitersBehind(locker)).toBe(0);
      } finally {
        await locker.query('ROLLBACK');
        await locker.end();
      }
      // Nothing lands late: the order is as it was once the lock is gone.
      await sleep(100);
      const before = method === 'AcceptOrder' ? ['PAID', 2] : ['ACCEPTED', 3];
      const trail = await readOrderTrail(blink.sources, blink.router, order.id);
      expect([trail?.status, trail?.version]).toEqual(before);
      // And the same call with time enough goes through.
      const { code } = await statusOf(
        client.unary(service, method, { orderId: order.id }, { deadlineMs: 2000 }),
      );
      expect(code).toBe(status.OK);
    },
  );

  it('gives a call that cannot even start in its budget DEADLINE_EXCEEDED, not UNAVAILABLE', async () => {
    const order = await blink.orders.paid(merchantId);
    const { code } = await statusOf(
      merchant.unary('MerchantOrders', 'AcceptOrder', { orderId: order.id }, { deadlineMs: 1 }),
    );
    expect(code).toBe(status.DEADLINE_EXCEEDED);
  });

  it('serves a call that sets no deadline (the pool’s statement timeout bounds it)', async () => {
    const order = await blink.orders.paid(merchantId);
    const { code } = await statusOf(merchant.unary('MerchantOrders', 'GetOrder', { orderId: order.id }));
    expect(code).toBe(status.OK);
  });
});
