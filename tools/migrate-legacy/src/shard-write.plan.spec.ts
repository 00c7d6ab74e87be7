import type { ComparableOrder } from './order-digest';
import { planShardWrite } from './shard-write.plan';

function order(orderId: string, overrides: Partial<ComparableOrder> = {}): ComparableOrder {
  return {
    orderId,
    userId: '7001',
    merchantId: '12',
    status: 'PAID',
    subtotalCents: 1000,
    packagingFeeCents: 0,
    deliveryFeeCents: 500,
    discountCents: 0,
    totalCents: 1500,
    currency: 'CNY',
    address: { line1: '1 Old Street', city: 'Shanghai', phone: '138' },
    note: null,
    createdAt: new Date('2021-03-01T10:00:00Z'),
    updatedAt: new Date('2021-03-01T10:05:00Z'),
    paidCents: 1500,
    refundedCents: 0,
    items: [{ itemId: '3', name: 'Rice', unitPriceCents: 1000, quantity: 1, lineTotalCents: 1000 }],
    ...overrides,
  };
}

describe('planShardWrite', () => {
  it('creates a new copy at version 1 with its first history entry', () => {
    const plan = planShardWrite([order('1')], new Map(), []);
    expect(plan.upserts).toEqual([
      { order: order('1'), version: 1, history: { fromStatus: null, at: new Date('2021-03-01T10:00:00Z') } },
    ]);
    expect(plan.current).toEqual([{ order: order('1'), version: 1 }]);
  });

  it('leaves an unchanged copy alone: a re-run writes nothing', () => {
    const plan = planShardWrite([order('1')], new Map([['1', { order: order('1'), version: 4 }]]), []);
    expect(plan.upserts).toEqual([]);
    expect(plan.current).toEqual([{ order: order('1'), version: 4 }]);
  });

  it('rewrites a changed copy at the next version, with history only when the status changed', () => {
    const delivered = order('1', { status: 'DELIVERED', updatedAt: new Date('2021-03-01T11:00:00Z') });
    const renamed = order('2', { note: 'ring twice' });
    const plan = planShardWrite(
      [delivered, renamed],
      new Map([
        ['1', { order: order('1'), version: 2 }],
        ['2', { order: order('2'), version: 1 }],
      ]),
      [],
    );
    expect(plan.upserts).toEqual([
      { order: delivered, version: 3, history: { fromStatus: 'PAID', at: new Date('2021-03-01T11:00:00Z') } },
      { order: renamed, version: 2, history: null },
    ]);
  });

  it('deletes copies of orders gone from the legacy store, and ignores gone ones never copied', () => {
    const plan = planShardWrite([], new Map([['1', { order: order('1'), version: 2 }]]), ['1', '9']);
    expect(plan.deletes).toEqual([order('1')]);
    expect(plan.upserts).toEqual([]);
  });
});
