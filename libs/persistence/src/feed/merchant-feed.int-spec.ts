import 'reflect-metadata';
import { testShards } from '@eos/testing';
import { randomInt } from 'node:crypto';
import { OrderEventPayload, OrderStatus } from '@eos/domain';
import { encodeOrderId } from '@eos/sharding';
import { MerchantOrderRepository } from '../orders/merchant-order.repository';
import { MerchantFeedRepository } from './merchant-feed.repository';

describe('merchant feed (the change log the projector’s writes append to)', () => {
  const { router, sources } = testShards('feed', 10);
  const merchantOrders = new MerchantOrderRepository(sources, router);
  const feed = new MerchantFeedRepository(sources);
  let sequence = 0;

  const payload = (
    merchantId: string,
    orderId: string,
    status: OrderStatus,
    version: number,
  ): OrderEventPayload => ({
    orderId,
    userId: '42',
    merchantId,
    kind: 'DELIVERY',
    status,
    previousStatus: null,
    totalCents: 1234,
    currency: 'CNY',
    version,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  });
  const newOrderId = (): string =>
    encodeOrderId({
      timestampMs: Date.now(),
      shard: randomInt(120),
      worker: 63,
      sequence: sequence++ % 512,
    }).toString();

  beforeAll(async () => {
    await sources.initialize();
  });

  afterAll(async () => {
    await sources.destroy();
  });

  it('logs a merchant’s orders from payment on, each newer version once, numbered 1, 2, 3...', async () => {
    const merchantId = String(randomInt(1_000_000, 2 ** 47));
    const route = router.routeMerchant(merchantId);
    const [a, b] = [newOrderId(), newOrderId()];
    await merchantOrders.applyEvent(payload(merchantId, a, 'CREATED', 1));
    await merchantOrders.applyEvent(payload(merchantId, b, 'CREATED', 1));
    expect(await feed.head(route, merchantId)).toBe('0');
    await merchantOrders.applyEvent(payload(merchantId, a, 'PAID', 2));
    await merchantOrders.applyEvent(payload(merchantId, a, 'PAID', 2)); // redelivered: stale
    await merchantOrders.applyEvent(payload(merchantId, b, 'CANCELLED', 2)); // expired unpaid: not the merchant's
    await merchantOrders.applyEvent(payload(merchantId, a, 'ACCEPTED', 3));
    await merchantOrders.applyEvent(payload(merchantId, a, 'PAID', 2)); // late: stale
    const changes = await feed.changesAfter(route, merchantId, '0', 100);
    expect(changes.map((c) => [c.seq, c.orderId, c.status, c.previousStatus, c.version])).toEqual([
      ['1', a, 'PAID', 'CREATED', 2],
      ['2', a, 'ACCEPTED', 'PAID', 3],
    ]);
    expect(await feed.head(route, merchantId)).toBe('2');
    expect(await feed.changesAfter(route, merchantId, '1', 100)).toHaveLength(1);
  });

  it('never shows a reader a later entry before an earlier one, whatever the writers’ commit order', async () => {
    const merchantId = String(randomInt(1_000_000, 2 ** 47));
    const route = router.routeMerchant(merchantId);
    const total = 300;
    let written = 0;
    const writers = Array.from({ length: 8 }, async () => {
      while (written < total) {
        written += 1;
        await merchantOrders.applyEvent(payload(merchantId, newOrderId(), 'PAID', 2));
      }
    });
    let cursor = 0;
    const problems: string[] = [];
    const reader = (async () => {
      while (cursor < total) {
        const batch = await feed.changesAfter(route, merchantId, String(cursor), 50);
        batch.forEach((change, index) => {
          if (Number(change.seq) !== cursor + index + 1) problems.push(`after ${cursor} got ${change.seq}`);
        });
        if (batch.length > 0) cursor = Number(batch[batch.length - 1].seq);
      }
    })();
    await Promise.all([...writers, reader]);
    expect(problems).toEqual([]);
    expect(await feed.head(route, merchantId)).toBe(String(total));
    // Two seqs in a row with 10 and 9 would be sorted as text by a careless ORDER BY: checked too.
    const all = await feed.changesAfter(route, merchantId, '0', total);
    expect(all.map((change) => Number(change.seq))).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });
});
