import { DomainError, Order, OrderStatus, createOrder } from '@eos/domain';
import { OrderTransitionRepository, TransitionSubject, TransitionWrite } from '@eos/persistence';
import { ShardRouter, defaultShardMap, encodeOrderId } from '@eos/sharding';
import { FencedOutError } from './fenced-out.error';
import { OrderTransitions } from './order-transitions';

type Outcome = 'applied' | 'version-moved' | 'fenced-out';

const USER = '1000000085'; // mod 120 = 5, the shard in ORDER_ID
const ORDER_ID = encodeOrderId({
  timestampMs: Date.UTC(2025, 0, 1),
  shard: 5,
  worker: 1,
  sequence: 1,
}).toString();
const NOW = Date.UTC(2025, 0, 1, 12);
const router = new ShardRouter(defaultShardMap('postgres://localhost'));

function order(status: OrderStatus, version: number, id = ORDER_ID): Order {
  const created = createOrder({
    id,
    userId: USER,
    cart: {
      merchantId: '7',
      lines: [
        {
          itemId: '701',
          name: 'Tea',
          unitPriceCents: 300,
          quantity: 1,
          lineTotalCents: 300,
          packagingFeeCents: 0,
        },
      ],
      subtotalCents: 300,
      packagingFeeCents: 0,
      deliveryFeeCents: 0,
      discountCents: 0,
      totalCents: 300,
      currency: 'CNY',
    },
    address: { line1: '1 Road', city: 'Shanghai', phone: '13800000000' },
    note: null,
    now: new Date(NOW - 60_000),
    paymentWindowMs: 900_000,
  });
  return { ...created, status, version };
}

const subject = (
  status: OrderStatus,
  version: number,
  openReverseRequests = 0,
  id = ORDER_ID,
): TransitionSubject => ({
  order: order(status, version, id),
  openReverseRequests,
});

/** A repository that serves the given states in turn and answers writes from a script. */
function fakeRepository(states: (TransitionSubject | null)[], outcomes: Outcome[]) {
  const writes: TransitionWrite[] = [];
  const calls = {
    load: jest.fn(async () => (states.length > 1 ? states.shift() : states[0]) ?? null),
    apply: jest.fn(async (_route: unknown, write: TransitionWrite) => {
      writes.push(write);
      const outcome = outcomes.shift() ?? 'applied';
      return {
        moved: outcome === 'applied' ? write.moves.map((move) => move.orderId) : [],
        fencedOut: outcome === 'fenced-out',
      };
    }),
  };
  return { repository: calls as unknown as OrderTransitionRepository, writes, calls };
}

function transitionsWith(fake: ReturnType<typeof fakeRepository>): OrderTransitions {
  return new OrderTransitions(fake.repository, router, { now: () => NOW });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return 'none';
}

describe('OrderTransitions (with a fake repository)', () => {
  it('writes the transition guarded by the version it decided on, with history and event', async () => {
    const fake = fakeRepository([subject(OrderStatus.Paid, 2)], ['applied']);
    const after = await transitionsWith(fake).accept(ORDER_ID, { merchantId: '7' });
    expect([after.status, after.version]).toEqual(['ACCEPTED', 3]);
    expect(fake.writes).toEqual([
      expect.objectContaining({
        actor: 'merchant',
        at: new Date(NOW),
        fence: null,
        payment: null,
        skipLocked: false,
      }),
    ]);
    expect(fake.writes[0].moves).toEqual([
      expect.objectContaining({
        orderId: ORDER_ID,
        fromStatus: 'PAID',
        toStatus: 'ACCEPTED',
        expectedVersion: 2,
        newVersion: 3,
        eventType: 'order.accepted',
        refundReason: null,
        requireNoOpenReverseRequest: false,
      }),
    ]);
    expect(fake.writes[0].moves[0].eventPayload).toMatchObject({
      status: 'ACCEPTED',
      previousStatus: 'PAID',
      version: 3,
    });
  });

  it('decides again when the version moved, and refuses what the other actor made illegal', async () => {
    const fake = fakeRepository(
      [subject(OrderStatus.Paid, 2), subject(OrderStatus.Accepted, 3)],
      ['version-moved'],
    );
    expect(await codeOf(transitionsWith(fake).accept(ORDER_ID))).toBe('ILLEGAL_TRANSITION');
    expect(fake.calls.load).toHaveBeenCalledTimes(2);
    expect(fake.calls.apply).toHaveBeenCalledTimes(1);
  });

  it('decides again when the version moved, and applies what is still legal on the new version', async () => {
    const fake = fakeRepository(
      [subject(OrderStatus.Accepted, 3), subject(OrderStatus.Ready, 4)],
      ['version-moved', 'applied'],
    );
    const after = await transitionsWith(fake).pickUp(ORDER_ID);
    expect([after.status, after.version]).toEqual(['DELIVERING', 5]);
    expect(fake.writes.map((write) => [write.moves[0].fromStatus, write.moves[0].expectedVersion])).toEqual([
      ['ACCEPTED', 3],
      ['READY', 4],
    ]);
  });

  it('gives up with VERSION_CONFLICT after five lost races', async () => {
    const fake = fakeRepository([subject(OrderStatus.Accepted, 3)], Array<Outcome>(9).fill('version-moved'));
    expect(await codeOf(transitionsWith(fake).markReady(ORDER_ID))).toBe('VERSION_CONFLICT');
    expect(fake.calls.apply).toHaveBeenCalledTimes(5);
  });

  it('marks the refund with a rejection, and requires a reason to cancel a paid order', async () => {
    const fake = fakeRepository([subject(OrderStatus.Paid, 2)], ['applied']);
    await transitionsWith(fake).reject(ORDER_ID, 'kitchen closed');
    expect(fake.writes[0]).toMatchObject({ reason: 'kitchen closed' });
    expect(fake.writes[0].moves[0]).toMatchObject({ refundReason: 'MERCHANT_REJECTED' });
    const bare = fakeRepository([subject(OrderStatus.Paid, 2)], ['applied']);
    await expect(transitionsWith(bare).apply(ORDER_ID, 'REJECT', 'merchant')).rejects.toThrow(
      /refund reason/,
    );
    expect(bare.calls.apply).not.toHaveBeenCalled();
  });

  it('hides another customer’s order and refuses another merchant’s', async () => {
    const fake = fakeRepository([subject(OrderStatus.Delivered, 6)], ['applied']);
    expect(await codeOf(transitionsWith(fake).confirmReceipt(ORDER_ID, String(BigInt(USER) + 120n)))).toBe(
      'ORDER_NOT_FOUND',
    );
    expect(await codeOf(transitionsWith(fake).confirmReceipt(ORDER_ID, String(BigInt(USER) + 1n)))).toBe(
      'ORDER_NOT_FOUND',
    );
    const paid = fakeRepository([subject(OrderStatus.Paid, 2)], ['applied']);
    expect(await codeOf(transitionsWith(paid).accept(ORDER_ID, { merchantId: '8' }))).toBe('FORBIDDEN');
    expect(fake.calls.apply).not.toHaveBeenCalled();
    expect(paid.calls.apply).not.toHaveBeenCalled();
  });

  it('completes only with no open reverse request, and asks the row to agree', async () => {
    const open = fakeRepository([subject(OrderStatus.Delivered, 6, 1)], ['applied']);
    expect(await codeOf(transitionsWith(open).confirmReceipt(ORDER_ID, USER))).toBe('ILLEGAL_TRANSITION');
    const closed = fakeRepository([subject(OrderStatus.Delivered, 6)], ['applied']);
    await transitionsWith(closed).confirmReceipt(ORDER_ID, USER);
    expect(closed.writes[0]).toMatchObject({ actor: 'customer' });
    expect(closed.writes[0].moves[0]).toMatchObject({
      toStatus: 'COMPLETED',
      requireNoOpenReverseRequest: true,
    });
  });

  it('stops a fenced-out sweep with FencedOutError, and passes its token to the write', async () => {
    const fake = fakeRepository([subject(OrderStatus.Delivered, 6)], ['fenced-out']);
    await expect(
      transitionsWith(fake).complete(ORDER_ID, { name: 'completion', token: 41 }),
    ).rejects.toBeInstanceOf(FencedOutError);
    expect(fake.writes[0].fence).toEqual({ name: 'completion', token: 41 });
  });

  it('moves a sweep’s batch in one write, leaving out what the domain refuses, and reports what moved', async () => {
    const other = encodeOrderId({
      timestampMs: Date.UTC(2025, 0, 1),
      shard: 5,
      worker: 1,
      sequence: 2,
    }).toString();
    const due = [subject(OrderStatus.Created, 1), subject(OrderStatus.Paid, 2, 0, other)];
    const fake = fakeRepository([null], ['applied']);
    const result = await transitionsWith(fake).applyDue(
      router.routeOrder(ORDER_ID),
      due,
      'EXPIRE',
      'system:expiry',
      {
        reason: 'payment deadline passed',
      },
    );
    expect(fake.writes).toHaveLength(1);
    expect(fake.writes[0]).toMatchObject({
      skipLocked: true,
      actor: 'system:expiry',
      reason: 'payment deadline passed',
    });
    expect(fake.writes[0].moves.map((move) => [move.orderId, move.toStatus])).toEqual([
      [ORDER_ID, 'CANCELLED'],
    ]);
    expect(result.moved.map((moved) => [moved.id, moved.status])).toEqual([[ORDER_ID, 'CANCELLED']]);
    expect(result.passed).toBe(1);
  });

  it('answers ORDER_NOT_FOUND, INVALID_ID and VERSION_CONFLICT for the expected version', async () => {
    expect(await codeOf(transitionsWith(fakeRepository([null], [])).deliver(ORDER_ID))).toBe(
      'ORDER_NOT_FOUND',
    );
    expect(await codeOf(transitionsWith(fakeRepository([null], [])).deliver('12x'))).toBe('INVALID_ID');
    const fake = fakeRepository([subject(OrderStatus.Delivering, 5)], []);
    expect(
      await codeOf(transitionsWith(fake).apply(ORDER_ID, 'DELIVER', 'rider', { expectedVersion: 4 })),
    ).toBe('VERSION_CONFLICT');
  });
});
