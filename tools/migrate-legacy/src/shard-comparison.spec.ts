import { checksum, fullDigest, lineDigests, orderDigest, type ComparableOrder } from './order-digest';
import { compareShard, describeMismatch } from './shard-comparison';

function order(orderId: string, overrides: Partial<ComparableOrder> = {}): ComparableOrder {
  return {
    orderId,
    userId: '7001',
    merchantId: '12',
    status: 'COMPLETED',
    subtotalCents: 2400,
    packagingFeeCents: 100,
    deliveryFeeCents: 500,
    discountCents: 0,
    totalCents: 3000,
    currency: 'CNY',
    address: { line1: '1 Old Street', city: 'Shanghai', phone: '13800000000' },
    note: null,
    createdAt: new Date('2021-03-01T10:00:00.123Z'),
    updatedAt: new Date('2021-03-01T10:40:00Z'),
    paidCents: 3000,
    refundedCents: 0,
    items: [{ itemId: '3', name: 'Noodles', unitPriceCents: 1200, quantity: 2, lineTotalCents: 2400 }],
    ...overrides,
  };
}

function sides(legacy: ComparableOrder[], sharded: ComparableOrder[]) {
  return {
    shard: 7,
    legacy: new Map(legacy.map((o) => [o.orderId, o])),
    sharded: new Map(sharded.map((o) => [o.orderId, o])),
    legacyIds: new Map([...legacy, ...sharded].map((o) => [o.orderId, `L${o.orderId}`])),
  };
}

describe('order digests and checksums', () => {
  it('hash equal orders equal, and any field or line change differently', () => {
    expect(orderDigest(order('1'))).toBe(orderDigest(order('1')));
    expect(orderDigest(order('1', { status: 'CANCELLED' }))).not.toBe(orderDigest(order('1')));
    expect(orderDigest(order('1', { createdAt: new Date('2021-03-01T10:00:00.124Z') }))).not.toBe(
      orderDigest(order('1')),
    );
    const moreTea = order('1', {
      items: [{ itemId: '3', name: 'Noodles', unitPriceCents: 1200, quantity: 3, lineTotalCents: 3600 }],
    });
    expect(orderDigest(moreTea)).toBe(orderDigest(order('1')));
    expect(lineDigests(moreTea)).not.toEqual(lineDigests(order('1')));
    expect(fullDigest(moreTea)).not.toBe(fullDigest(order('1')));
  });

  it('checksums a set regardless of order, and a repeated digest does not cancel out', () => {
    const a = orderDigest(order('1'));
    const b = orderDigest(order('2'));
    expect(checksum([a, b])).toBe(checksum([b, a]));
    expect(checksum([a, a])).not.toBe(checksum([]));
    expect(checksum([])).toBe('0000000000000000');
  });
});

describe('compareShard', () => {
  it('agrees, with no differences listed, when both sides hold the same orders', () => {
    const { tally, differences } = compareShard(sides([order('1'), order('2')], [order('2'), order('1')]));
    expect(differences).toEqual([]);
    expect(tally).toMatchObject({
      shard: 7,
      legacyOrders: 2,
      shardedOrders: 2,
      legacyLines: 2,
      shardedLines: 2,
    });
    expect(tally.legacyChecksum).toBe(tally.shardedChecksum);
  });

  it('lists missing, orphaned and mismatched orders with their old ids', () => {
    const { tally, differences } = compareShard(
      sides([order('1'), order('2', { status: 'PAID' })], [order('2'), order('3')]),
    );
    expect(tally.legacyChecksum).not.toBe(tally.shardedChecksum);
    expect(differences).toEqual([
      { kind: 'missing', legacyId: 'L1', orderId: '1', detail: 'not on its shard' },
      { kind: 'mismatched', legacyId: 'L2', orderId: '2', detail: 'status "PAID" != "COMPLETED"' },
      {
        kind: 'orphaned',
        legacyId: 'L3',
        orderId: '3',
        detail: 'deleted in the legacy store, still on its shard',
      },
    ]);
  });

  it('names line, address and time differences', () => {
    const other = order('1', {
      address: { line1: '2 New Road', city: 'Shanghai', phone: '13800000000' },
      updatedAt: new Date('2021-03-01T11:00:00Z'),
      items: [],
    });
    expect(describeMismatch(order('1'), other)).toBe(
      'address differs; updatedAt 2021-03-01T10:40:00.000Z != 2021-03-01T11:00:00.000Z; 1 lines != 0 lines',
    );
  });
});
