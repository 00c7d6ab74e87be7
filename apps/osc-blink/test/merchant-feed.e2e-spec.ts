import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { status } from '@grpc/grpc-js';
import { BlinkClient, EOS_CONFIG, EosConfig, PartnerCredentials } from '@eos/common';
import { MerchantFeedRepository } from '@eos/persistence';
import {
  RunningModule,
  createPartner,
  eventually,
  newDeliveryPartnerId,
  newMerchantId,
  readOrderTrail,
  startOrderEventPipeline,
  trailProblems,
} from '@eos/testing';
import { MerchantFeedPruner } from '../src/merchant/merchant-feed.pruner';
import { RunningBlink, TEST_POOL_SIZE, startBlink } from './blink.harness';
import { FeedReader } from './feed.reader';

interface OrderReply {
  order: { id: string; status: string; version: number; address: { line1: string } | null };
}

const PAID = 'ORDER_STATUS_PAID';

describe('osc-blink: merchant feed and order moves over gRPC (e2e: Postgres, Redis, RabbitMQ)', () => {
  let blink: RunningBlink;
  let pipeline: RunningModule;
  let feedRepository: MerchantFeedRepository;
  const readers: FeedReader[] = [];

  const watch = (client: BlinkClient, cursor?: string): FeedReader => {
    const reader = new FeedReader(client, cursor === undefined ? {} : { cursor });
    readers.push(reader);
    return reader;
  };

  /** Waits until the merchant's feed holds `seq` entries (the projector has caught up). */
  const feedReaches = async (merchantId: string, seq: number, timeoutMs = 15_000): Promise<void> => {
    const until = Date.now() + timeoutMs;
    const route = blink.router.routeMerchant(merchantId);
    while (Number(await feedRepository.head(route, merchantId)) < seq) {
      if (Date.now() > until) throw new Error(`merchant ${merchantId}'s feed did not reach ${seq}`);
      await sleep(25);
    }
  };

  const merchantPartner = async (): Promise<{
    merchantId: string;
    partner: PartnerCredentials;
    client: BlinkClient;
  }> => {
    const merchantId = newMerchantId();
    const partner = await createPartner(blink.credentials, { merchantIds: [merchantId] });
    return { merchantId, partner, client: blink.client(partner) };
  };

  beforeAll(async () => {
    blink = await startBlink();
    pipeline = await startOrderEventPipeline({ PG_POOL_SIZE: TEST_POOL_SIZE });
    feedRepository = new MerchantFeedRepository(blink.sources);
    // The relay first publishes whatever earlier runs left in the outboxes; start once it is live.
    const warmUp = newMerchantId();
    await blink.orders.paid(warmUp);
    await feedReaches(warmUp, 1, 100_000);
  });

  afterEach(() => {
    for (const reader of readers.splice(0)) reader.cancel();
  });

  afterAll(async () => {
    await pipeline.close();
    await blink.close();
  });

  it('shows a merchant watching the feed a paid order appear, and no unpaid order', async () => {
    const { merchantId, client } = await merchantPartner();
    const feed = watch(client);
    await feed.waitFor((reader) => reader.events.length >= 1);
    expect(feed.events[0]).toEqual({ cursor: '0', change: null });

    const unpaid = await blink.orders.created(merchantId);
    const order = await blink.orders.created(merchantId);
    await blink.orders.pay(order);
    await feed.waitFor((reader) => reader.changes.some((change) => change.orderId === order.id));

    const [change] = feed.changes;
    expect(change).toMatchObject({
      cursor: '1',
      orderId: order.id,
      merchantId,
      status: PAID,
      version: 2,
      totalCents: String(order.totalCents),
      currency: 'CNY',
    });
    expect(['ORDER_STATUS_CREATED', 'ORDER_STATUS_UNSPECIFIED']).toContain(change.previousStatus);
    // The unpaid order reaches the merchant dimension too (maybe after the paid one: they may sit
    // on different user shards), but never the merchant's feed.
    const route = blink.router.routeMerchant(merchantId);
    const projected = async (): Promise<{ status: string }[]> =>
      blink.sources
        .get(route.database)
        .query(`SELECT status FROM ${route.schema}.merchant_orders WHERE order_id = $1`, [unpaid.id]);
    const until = Date.now() + 10_000;
    while ((await projected()).length === 0 && Date.now() < until) await sleep(25);
    expect(await projected()).toEqual([{ status: 'CREATED' }]);
    await sleep(100);
    expect(feed.changes.map((c) => c.orderId)).toEqual([order.id]);
  });

  it('moves an order through accept, ready, pickup and delivery over gRPC, each move on the feed', async () => {
    const { merchantId, client } = await merchantPartner();
    const deliveryPartnerId = newDeliveryPartnerId();
    const rider = blink.client(await createPartner(blink.credentials, { deliveryPartnerId }));
    const feed = watch(client);
    const order = await blink.orders.paid(merchantId);
    await feed.waitFor((reader) => reader.changes.some((change) => change.status === PAID));

    const call = (target: BlinkClient, service: 'MerchantOrders' | 'DeliveryOrders', method: string) =>
      target.unary<OrderReply>(service, method, { orderId: order.id }, { deadlineMs: 5000 });
    expect((await call(client, 'MerchantOrders', 'AcceptOrder')).order).toMatchObject({
      status: 'ORDER_STATUS_ACCEPTED',
      version: 3,
      address: null,
    });
    expect((await call(client, 'MerchantOrders', 'MarkReady')).order.status).toBe('ORDER_STATUS_READY');
    await blink.orders.assign(order.id, deliveryPartnerId);
    const assigned = await rider.unary<{ orders: OrderReply['order'][] }>(
      'DeliveryOrders',
      'ListAssignedOrders',
      {},
    );
    expect(assigned.orders.map((o) => o.id)).toEqual([order.id]);
    expect(assigned.orders[0].address?.line1).toBe('88 Test Road');
    expect((await call(rider, 'DeliveryOrders', 'PickUpOrder')).order.status).toBe('ORDER_STATUS_DELIVERING');
    expect((await call(rider, 'DeliveryOrders', 'DeliverOrder')).order).toMatchObject({
      status: 'ORDER_STATUS_DELIVERED',
      version: 6,
    });

    await feed.waitFor((reader) =>
      reader.changes.some((change) => change.status === 'ORDER_STATUS_DELIVERED'),
    );
    // Each version the merchant dimension stored, in order. The projector applies events as they
    // come and keeps only newer versions, so two moves a few milliseconds apart may reach it
    // reversed, and then the feed shows the later one only: versions rise and none repeats.
    const moves = feed.changes.map((change) => `${change.status}@${change.version}`);
    const path = [
      `${PAID}@2`,
      'ORDER_STATUS_ACCEPTED@3',
      'ORDER_STATUS_READY@4',
      'ORDER_STATUS_DELIVERING@5',
    ];
    expect(moves[0]).toBe(path[0]);
    expect(moves[moves.length - 1]).toBe('ORDER_STATUS_DELIVERED@6');
    expect(
      moves
        .slice(1, -1)
        .every((move, index, all) => path.indexOf(move) > path.indexOf(all[index - 1] ?? path[0])),
    ).toBe(true);
    expect(feed.changes.map((change) => change.cursor)).toEqual(moves.map((_, index) => String(index + 1)));
    const trail = await readOrderTrail(blink.sources, blink.router, order.id);
    expect(trail?.status).toBe('DELIVERED');
    expect(trail?.history.map((entry) => entry.actor)).toEqual([
      'customer',
      'payment-provider',
      'merchant',
      'merchant',
      'rider',
      'rider',
    ]);
    expect(trailProblems(trail!)).toEqual([]);

    const listed = await client.unary<{ orders: { id: string; status: string }[]; feedCursor: string }>(
      'MerchantOrders',
      'ListOrders',
      {},
    );
    expect(listed.orders).toEqual([
      expect.objectContaining({ id: order.id, status: 'ORDER_STATUS_DELIVERED' }),
    ]);
    expect(listed.feedCursor).toBe(String(moves.length));
  });

  it('resumes after a reconnect from the last cursor with no change missed and none repeated', async () => {
    const { merchantId, client } = await merchantPartner();
    const first = watch(client);
    const [o1, o2] = [await blink.orders.paid(merchantId), await blink.orders.paid(merchantId)];
    await first.waitFor((reader) => reader.changes.length === 2);
    const cursor = first.lastCursor;
    first.cancel();

    // While the merchant is away: two more orders are paid and the first one is accepted.
    const o3 = await blink.orders.paid(merchantId);
    const o4 = await blink.orders.paid(merchantId);
    await blink.orders.transitions.accept(o1.id, { merchantId });
    await feedReaches(merchantId, 5);

    const second = watch(client, cursor);
    await second.waitFor((reader) => reader.changes.length === 3);
    expect(second.events[0]).toEqual({ cursor, change: null });
    const seen = [...first.changes, ...second.changes];
    expect(seen.map((change) => change.cursor)).toEqual(['1', '2', '3', '4', '5']);
    expect(new Set(seen.map((change) => `${change.orderId}@${change.version}`)).size).toBe(5);
    expect(second.changes.map((change) => [change.orderId, change.status])).toEqual(
      expect.arrayContaining([
        [o3.id, PAID],
        [o4.id, PAID],
        [o1.id, 'ORDER_STATUS_ACCEPTED'],
      ]),
    );
    expect(first.changes.map((change) => change.orderId).sort()).toEqual([o1.id, o2.id].sort());
    // Nothing more arrives later: the resumed stream repeated nothing and is now live.
    await sleep(300);
    expect(second.changes).toHaveLength(3);
  });

  /** Makes the merchant's feed entries up to `seq` older than the retention, then runs a prune pass. */
  const ageOutAndPrune = async (merchantId: string, seq: number): Promise<void> => {
    const route = blink.router.routeMerchant(merchantId);
    await blink.sources.get(route.database).query(
      `UPDATE ${route.schema}.merchant_order_changes SET recorded_at = now() - interval '200 hours'
         WHERE merchant_id = $1 AND seq <= $2`,
      [merchantId, seq],
    );
    expect(await blink.app.get(MerchantFeedPruner).pruneOnce()).toBeGreaterThanOrEqual(seq);
  };

  it('answers OUT_OF_RANGE for a cursor older than the changes the feed still keeps', async () => {
    const { merchantId, client } = await merchantPartner();
    for (let n = 0; n < 3; n += 1) await blink.orders.paid(merchantId);
    await feedReaches(merchantId, 3);
    // Past FEED_RETENTION_HOURS (168) the pruner drops the first two entries: resuming from before
    // them would skip them silently.
    await ageOutAndPrune(merchantId, 2);
    expect((await watch(client, '1').failure()).code).toBe(status.OUT_OF_RANGE);
    for (const cursor of ['2', '0']) {
      const reader = watch(client, cursor);
      await reader.waitFor((r) => r.changes.length === 1);
      expect(reader.changes.map((change) => change.cursor)).toEqual(['3']);
    }
  });

  it('prunes on its own schedule (FEED_PRUNE_INTERVAL_MS), keeping what is within the retention', async () => {
    const { merchantId } = await merchantPartner();
    for (let n = 0; n < 2; n += 1) await blink.orders.paid(merchantId);
    await feedReaches(merchantId, 2);
    const route = blink.router.routeMerchant(merchantId);
    await blink.sources.get(route.database).query(
      `UPDATE ${route.schema}.merchant_order_changes SET recorded_at = now() - interval '169 hours'
         WHERE merchant_id = $1 AND seq = 1`,
      [merchantId],
    );
    const config = blink.app.get<EosConfig>(EOS_CONFIG);
    const scheduled = new MerchantFeedPruner(feedRepository, blink.router, {
      ...config,
      FEED_RETENTION_HOURS: 168,
      FEED_PRUNE_INTERVAL_MS: 50,
    });
    scheduled.onApplicationBootstrap();
    try {
      const onlySecondKept = async (): Promise<boolean> => {
        const kept = await feedRepository.changesAfter(route, merchantId, '0', 10);
        return kept.length === 1 && kept[0].seq === '2';
      };
      expect(await eventually(onlySecondKept, 10_000, 50)).toBe(true);
    } finally {
      await scheduled.beforeApplicationShutdown();
    }
  });

  it('answers OUT_OF_RANGE when every change after the cursor is pruned, and goes on from the head', async () => {
    const { merchantId, client } = await merchantPartner();
    for (let n = 0; n < 2; n += 1) await blink.orders.paid(merchantId);
    await feedReaches(merchantId, 2);
    await ageOutAndPrune(merchantId, 2);
    const route = blink.router.routeMerchant(merchantId);
    expect(await feedRepository.head(route, merchantId)).toBe('2');
    expect((await watch(client, '1').failure()).code).toBe(status.OUT_OF_RANGE);
    // From the head (or "whatever is kept") the next change arrives as position 3: nothing repeats.
    const fromHead = watch(client, '2');
    const fromKept = watch(client, '0');
    await fromHead.waitFor((r) => r.events.length >= 1);
    await fromKept.waitFor((r) => r.events.length >= 1);
    await blink.orders.paid(merchantId);
    for (const reader of [fromHead, fromKept]) {
      await reader.waitFor((r) => r.changes.length === 1);
      expect(reader.changes.map((change) => change.cursor)).toEqual(['3']);
      expect(reader.error).toBeUndefined();
    }
  });

  it('misses and repeats nothing across many reconnects while orders are paid concurrently', async () => {
    const { merchantId, client } = await merchantPartner();
    const total = 40;
    const paying = (async () => {
      for (let batch = 0; batch < total / 8; batch += 1) {
        await Promise.all(Array.from({ length: 8 }, () => blink.orders.paid(merchantId)));
        // Spread the payments over several stream sessions, so reconnects land mid-stream.
        await sleep(150);
      }
    })();
    const received: { cursor: string; orderId: string }[] = [];
    let cursor = '0';
    let sessions = 0;
    let sessionsWithChanges = 0;
    while (received.length < total) {
      const session = watch(client, cursor);
      sessions += 1;
      await sleep(40 + Math.random() * 150);
      session.cancel();
      received.push(...session.changes.map(({ cursor: c, orderId }) => ({ cursor: c, orderId })));
      if (session.changes.length > 0) sessionsWithChanges += 1;
      if (session.events.length > 0) cursor = session.lastCursor;
      if (sessions > 400)
        throw new Error(`only ${received.length} of ${total} changes after ${sessions} sessions`);
    }
    await paying;
    expect(received.map((entry) => entry.cursor)).toEqual(
      Array.from({ length: total }, (_, i) => String(i + 1)),
    );
    expect(new Set(received.map((entry) => entry.orderId)).size).toBe(total);
    // The changes really arrived over several resumed sessions, not one.
    expect(sessionsWithChanges).toBeGreaterThan(1);
  });
});
