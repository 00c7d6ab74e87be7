import { OrderStatus } from '../order-status';
import { LEGACY_STATUS_MAP, LegacyOrderRecord, mapLegacyOrder, mapLegacyStatus } from './legacy-order';

function record(overrides: Partial<LegacyOrderRecord> = {}): LegacyOrderRecord {
  return {
    legacyId: '42',
    userId: '7001',
    merchantId: '12',
    status: 'PAID',
    subtotalCents: '2400',
    packagingFeeCents: '100',
    deliveryFeeCents: '500',
    discountCents: '0',
    totalCents: '3000',
    address: '1 Old Street',
    city: 'Shanghai',
    phone: '13800000000',
    remark: null,
    paidAt: new Date('2021-03-01T10:01:00Z'),
    createdAt: new Date('2021-03-01T10:00:00Z'),
    updatedAt: new Date('2021-03-01T10:05:00Z'),
    items: [
      { itemId: '3', name: 'Noodles', unitPriceCents: '1200', quantity: 1 },
      { itemId: '4', name: 'Tea', unitPriceCents: '600', quantity: 2 },
    ],
    ...overrides,
  };
}

describe('legacy status mapping', () => {
  it.each([
    ['UNPAID', OrderStatus.Created],
    ['PAID', OrderStatus.Paid],
    ['CONFIRMED', OrderStatus.Accepted],
    ['SHIPPING', OrderStatus.Delivering],
    ['DELIVERED', OrderStatus.Delivered],
    ['FINISHED', OrderStatus.Completed],
    ['SETTLED', OrderStatus.Completed],
    ['CANCELED', OrderStatus.Cancelled],
    ['REFUNDED', OrderStatus.Cancelled],
  ])('maps %s to %s', (legacy, status) => {
    expect(mapLegacyStatus(legacy)).toBe(status);
  });

  it.each(['DISPUTED', 'paid', '', 'toString', '__proto__'])('has no eos status for "%s"', (legacy) => {
    expect(mapLegacyStatus(legacy)).toBeUndefined();
  });

  it('maps only to eos statuses a delivery order can have', () => {
    for (const status of Object.values(LEGACY_STATUS_MAP)) {
      expect([OrderStatus.Fulfilled, OrderStatus.Ready]).not.toContain(status);
    }
  });
});

describe('mapLegacyOrder', () => {
  it('places a paid legacy order with its lines, address and money', () => {
    const mapped = mapLegacyOrder(record());
    expect(mapped).toEqual({
      ok: true,
      order: expect.objectContaining({
        legacyId: '42',
        userId: '7001',
        merchantId: '12',
        kind: 'DELIVERY',
        status: 'PAID',
        totalCents: 3000,
        currency: 'CNY',
        address: { line1: '1 Old Street', city: 'Shanghai', phone: '13800000000' },
        note: null,
        paidCents: 3000,
        refundedCents: 0,
      }),
    });
    if (!mapped.ok) throw new Error('expected ok');
    expect(mapped.order.items).toEqual([
      { itemId: '3', name: 'Noodles', unitPriceCents: 1200, quantity: 1, lineTotalCents: 1200 },
      { itemId: '4', name: 'Tea', unitPriceCents: 600, quantity: 2, lineTotalCents: 1200 },
    ]);
  });

  it('counts no money paid for an unpaid order, and all of it returned for a refunded one', () => {
    const unpaid = mapLegacyOrder(record({ status: 'UNPAID', paidAt: null }));
    const refunded = mapLegacyOrder(record({ status: 'REFUNDED' }));
    expect(unpaid.ok && unpaid.order.paidCents).toBe(0);
    expect(refunded.ok && [refunded.order.paidCents, refunded.order.refundedCents]).toEqual([3000, 3000]);
  });

  it.each<[string, Partial<LegacyOrderRecord>, RegExp]>([
    ['an unknown status', { status: 'DISPUTED' }, /legacy status "DISPUTED" has no eos status/],
    ['no items', { items: [] }, /no items/],
    [
      'a quantity over 99',
      { items: [{ itemId: '3', name: 'Rice', unitPriceCents: '100', quantity: 120 }] },
      /quantity 120, outside 1\.\.99/,
    ],
    ['a negative total', { totalCents: '-5' }, /total -5 is not a non-negative/],
    ['a missing address', { address: '  ' }, /address is missing/],
    ['a remark over 200 characters', { remark: 'x'.repeat(201) }, /remark of 201 characters/],
  ])('reports, rather than drops, an order with %s', (_case, overrides, reason) => {
    const mapped = mapLegacyOrder(record(overrides));
    expect(mapped.ok).toBe(false);
    if (mapped.ok) return;
    expect(mapped.legacyId).toBe('42');
    expect(mapped.reason).toMatch(reason);
  });
});
