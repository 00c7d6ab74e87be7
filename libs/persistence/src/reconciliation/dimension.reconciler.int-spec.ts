import 'reflect-metadata';
import { randomInt } from 'node:crypto';
import { OrderStatus } from '@eos/domain';
import { DimensionReconciler, MerchantOrderRepository } from '@eos/persistence';
import { syntheticOrder, writeOrderHistory, type SyntheticOrder, testShards } from '@eos/testing';

/** Orders written in one second of 2024 nobody else writes in, so the range holds only this test's. */
describe('DimensionReconciler (real Postgres)', () => {
  const { router, sources } = testShards('reconcile');
  const merchants = new MerchantOrderRepository(sources, router);
  const from = new Date(Date.UTC(2024, 2, 1) + randomInt(0, 200 * 86_400) * 1000);
  const to = new Date(from.getTime() + 1000);
  const orders: SyntheticOrder[] = [];

  beforeAll(() => sources.initialize());
  afterAll(async () => {
    for (const order of orders) {
      await sources
        .get(order.route.database)
        .query(`DELETE FROM ${order.route.schema}.outbox WHERE order_id = $1`, [order.id]);
      await sources
        .get(order.route.database)
        .query(`DELETE FROM ${order.route.schema}.orders WHERE id = $1`, [order.id]);
      const merchant = router.routeMerchant(order.merchantId);
      await sources
        .get(merchant.database)
        .query(`DELETE FROM ${merchant.schema}.merchant_orders WHERE order_id = $1`, [order.id]);
    }
    await sources.destroy();
  });

  const at = (ms: number): Date => new Date(from.getTime() + ms);

  async function project(order: SyntheticOrder, status: OrderStatus, version: number): Promise<void> {
    await merchants.applyEvent({
      orderId: order.id,
      userId: order.userId,
      merchantId: order.merchantId,
      kind: 'DELIVERY',
      status,
      previousStatus: null,
      totalCents: order.totalCents,
      currency: 'CNY',
      version,
      createdAt: order.createdAt.toISOString(),
      updatedAt: order.createdAt.toISOString(),
    });
  }

  it('reports missing, mismatched and orphaned merchant rows, repairs them, then reports none', async () => {
    const agreeing = syntheticOrder(router, { at: at(10) });
    const missing = syntheticOrder(router, { at: at(20) });
    const mismatched = syntheticOrder(router, { at: at(30) });
    const orphan = syntheticOrder(router, { at: at(40) });
    const outside = syntheticOrder(router, { at: at(1500) });
    orders.push(agreeing, missing, mismatched, orphan, outside);
    for (const order of [agreeing, missing, mismatched, outside]) {
      await writeOrderHistory(
        sources.get(order.route.database),
        order,
        [OrderStatus.Created, OrderStatus.Paid],
        {
          outbox: false,
        },
      );
    }
    await project(agreeing, OrderStatus.Paid, 2);
    await project(mismatched, OrderStatus.Cancelled, 2);
    await project(orphan, OrderStatus.Created, 1);

    const reconciler = new DimensionReconciler(sources, router);
    const report = await reconciler.reconcile({ from, to, repair: false });
    expect(report).toMatchObject({
      userOrders: 3,
      merchantOrders: 3,
      missing: 1,
      mismatched: 1,
      orphaned: 1,
    });
    expect(report.samples.map((drift) => [drift.kind, drift.orderId])).toEqual(
      expect.arrayContaining([
        ['missing', missing.id],
        ['mismatched', mismatched.id],
        ['orphaned', orphan.id],
      ]),
    );

    const repaired = await reconciler.reconcile({ from, to, repair: true });
    expect(repaired.repaired).toBe(3);
    const after = await reconciler.reconcile({ from, to, repair: false });
    expect(after).toMatchObject({ userOrders: 3, merchantOrders: 3, missing: 0, mismatched: 0, orphaned: 0 });
    const [row] = await merchants.findOnShard(router.routeMerchant(mismatched.merchantId), [mismatched.id]);
    expect(row).toMatchObject({ status: 'PAID', version: 2, totalCents: mismatched.totalCents });
  });
});
