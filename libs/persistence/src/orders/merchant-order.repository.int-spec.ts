import 'reflect-metadata';
import { randomInt } from 'node:crypto';
import { OrderEventPayload, OrderStatus } from '@eos/domain';
import { MerchantOrderRepository } from '@eos/persistence';
import { syntheticOrder, testShards } from '@eos/testing';

describe('MerchantOrderRepository (real Postgres)', () => {
  const { router, sources } = testShards('merchant-orders');
  const repository = new MerchantOrderRepository(sources, router);
  // A merchant no demo data or other test uses.
  const merchantId = String(randomInt(10_000_000, 2 ** 40));
  const created: string[] = [];

  beforeAll(() => sources.initialize());
  afterAll(async () => {
    const route = router.routeMerchant(merchantId);
    await sources
      .get(route.database)
      .query(`DELETE FROM ${route.schema}.merchant_orders WHERE merchant_id = $1`, [merchantId]);
    await sources.destroy();
  });

  function payload(orderId: string, version: number, status: OrderStatus, at: Date): OrderEventPayload {
    return {
      orderId,
      userId: '42',
      merchantId,
      kind: 'DELIVERY',
      status,
      previousStatus: null,
      totalCents: 1234,
      currency: 'CNY',
      version,
      createdAt: at.toISOString(),
      updatedAt: new Date(at.getTime() + version).toISOString(),
    };
  }

  it('applies an event only when its version is newer, whatever the arrival order', async () => {
    const order = syntheticOrder(router, { merchantId });
    created.push(order.id);
    expect(await repository.applyEvent(payload(order.id, 2, OrderStatus.Paid, order.createdAt))).toBe(
      'applied',
    );
    expect(await repository.applyEvent(payload(order.id, 1, OrderStatus.Created, order.createdAt))).toBe(
      'stale',
    );
    expect(await repository.applyEvent(payload(order.id, 2, OrderStatus.Paid, order.createdAt))).toBe(
      'stale',
    );
    expect(await repository.applyEvent(payload(order.id, 3, OrderStatus.Accepted, order.createdAt))).toBe(
      'applied',
    );
    const [row] = await repository.findOnShard(router.routeMerchant(merchantId), [order.id]);
    expect(row).toMatchObject({
      orderId: order.id,
      merchantId,
      status: 'ACCEPTED',
      version: 3,
      totalCents: 1234,
    });
  });

  it('lists a merchant’s orders newest first, with a keyset cursor and a status filter', async () => {
    const base = Date.now() - 10_000;
    const ids: string[] = [];
    for (let n = 0; n < 5; n += 1) {
      const order = syntheticOrder(router, { merchantId, at: new Date(base + n * 10) });
      ids.push(order.id);
      await repository.applyEvent(
        payload(order.id, 1, n % 2 === 0 ? OrderStatus.Created : OrderStatus.Paid, order.createdAt),
      );
    }
    const newest = [...ids].reverse();
    const page = await repository.listForMerchant(merchantId, { limit: 2 });
    expect(page.map((order) => order.orderId)).toEqual(newest.slice(0, 2));
    const next = await repository.listForMerchant(merchantId, { limit: 2, beforeId: page[1].orderId });
    expect(next.map((order) => order.orderId)).toEqual(newest.slice(2, 4));
    const paid = await repository.listForMerchant(merchantId, { limit: 10, status: OrderStatus.Paid });
    expect(paid.map((order) => order.orderId)).toEqual([ids[3], ids[1]]);
    expect(await repository.listForMerchant(String(BigInt(merchantId) + 1n), { limit: 10 })).toEqual([]);
  });
});
