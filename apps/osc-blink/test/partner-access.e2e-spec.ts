import 'reflect-metadata';
import { Client, Metadata, ServiceError, credentials as channelCredentials, status } from '@grpc/grpc-js';
import {
  BlinkClient,
  BlinkService,
  PARTNER_ID_METADATA,
  PARTNER_SECRET_METADATA,
  PartnerCredentials,
  isServiceError,
} from '@eos/common';
import { Order } from '@eos/domain';
import { encodeOrderId } from '@eos/sharding';
import { createPartner, newDeliveryPartnerId, newMerchantId, readOrderTrail } from '@eos/testing';
import { RunningBlink, startBlink } from './blink.harness';
import { FeedReader } from './feed.reader';

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

describe('osc-blink: partner credentials, access and status codes (e2e over gRPC)', () => {
  let blink: RunningBlink;
  // Merchant A's partner, merchant B and its orders, delivery partners P (with an order) and Q.
  let merchantA: string;
  let merchantB: string;
  let partnerA: BlinkClient;
  let partnerB: BlinkClient;
  let paidOfB: Order;
  let acceptedOfB: Order;
  let deliveryP: string;
  let riderP: BlinkClient;
  let riderQ: BlinkClient;
  let assignedToP: Order;
  let unassigned: Order;

  const unary = (client: BlinkClient, service: BlinkService, method: string, request: object) =>
    client.unary(service, method, request, { deadlineMs: 5000 });

  beforeAll(async () => {
    blink = await startBlink();
    merchantA = newMerchantId();
    merchantB = newMerchantId();
    partnerA = blink.client(await createPartner(blink.credentials, { merchantIds: [merchantA] }));
    partnerB = blink.client(await createPartner(blink.credentials, { merchantIds: [merchantB] }));
    paidOfB = await blink.orders.paid(merchantB);
    acceptedOfB = await blink.orders.accepted(merchantB);
    deliveryP = newDeliveryPartnerId();
    riderP = blink.client(await createPartner(blink.credentials, { deliveryPartnerId: deliveryP }));
    riderQ = blink.client(
      await createPartner(blink.credentials, { deliveryPartnerId: newDeliveryPartnerId() }),
    );
    assignedToP = await blink.orders.accepted(merchantB);
    await blink.orders.assign(assignedToP.id, deliveryP);
    unassigned = await blink.orders.accepted(merchantB);
  });

  afterAll(async () => {
    await blink.close();
  });

  describe('a merchant cannot see or touch another merchant’s orders (PERMISSION_DENIED)', () => {
    it.each<[string, () => object]>([
      ['ListOrders', () => ({ merchantId: merchantB })],
      ['GetOrder', () => ({ orderId: paidOfB.id })],
      ['GetOrder', () => ({ orderId: paidOfB.id, merchantId: merchantA })],
      ['AcceptOrder', () => ({ orderId: paidOfB.id })],
      ['RejectOrder', () => ({ orderId: paidOfB.id, reason: 'out of stock' })],
      ['MarkReady', () => ({ orderId: acceptedOfB.id })],
      ['DecideCancellation', () => ({ orderId: acceptedOfB.id, decision: 'CANCELLATION_DECISION_APPROVE' })],
    ])('%s', async (method, request) => {
      const error = await failure(unary(partnerA, 'MerchantOrders', method, request()));
      expect(error.code).toBe(status.PERMISSION_DENIED);
      expect(errorCode(error)).toBe('FORBIDDEN');
    });

    it('WatchOrders', async () => {
      const feed = new FeedReader(partnerA, { merchantId: merchantB });
      expect((await feed.failure()).code).toBe(status.PERMISSION_DENIED);
      expect(feed.events).toEqual([]);
    });

    it('leaves the other merchant’s orders as they were', async () => {
      const paid = await readOrderTrail(blink.sources, blink.router, paidOfB.id);
      const accepted = await readOrderTrail(blink.sources, blink.router, acceptedOfB.id);
      expect([paid?.status, paid?.version]).toEqual(['PAID', 2]);
      expect([accepted?.status, accepted?.version]).toEqual(['ACCEPTED', 3]);
      // Its own merchant still can act on them.
      const reply = await unary(partnerB, 'MerchantOrders', 'GetOrder', { orderId: paidOfB.id });
      expect(reply).toMatchObject({ order: { id: paidOfB.id, status: 'ORDER_STATUS_PAID' } });
    });
  });

  describe('a rider sees and moves only orders assigned to their partner (PERMISSION_DENIED)', () => {
    it('ListAssignedOrders lists only the partner’s own orders', async () => {
      const own = await unary(riderP, 'DeliveryOrders', 'ListAssignedOrders', {});
      const other = await unary(riderQ, 'DeliveryOrders', 'ListAssignedOrders', {});
      expect(own).toMatchObject({ orders: [{ id: assignedToP.id }], nextPageToken: '' });
      expect(other).toEqual({ orders: [], nextPageToken: '' });
    });

    it.each<[string, () => object]>([
      ['PickUpOrder', () => ({ orderId: assignedToP.id })],
      ['PickUpOrder', () => ({ orderId: unassigned.id })],
      ['DeliverOrder', () => ({ orderId: assignedToP.id })],
      [
        'ReportException',
        () => ({ orderId: assignedToP.id, kind: 'DELIVERY_EXCEPTION_KIND_CUSTOMER_UNREACHABLE' }),
      ],
    ])('%s', async (method, request) => {
      const error = await failure(unary(riderQ, 'DeliveryOrders', method, request()));
      expect(error.code).toBe(status.PERMISSION_DENIED);
      const trail = await readOrderTrail(blink.sources, blink.router, assignedToP.id);
      expect(trail?.status).toBe('ACCEPTED');
    });
  });

  describe('each service refuses the other kind of partner (PERMISSION_DENIED)', () => {
    it.each([
      'WatchOrders',
      'ListOrders',
      'GetOrder',
      'AcceptOrder',
      'RejectOrder',
      'MarkReady',
      'DecideCancellation',
    ])('MerchantOrders.%s with delivery credentials', async (method) => {
      const request = { orderId: paidOfB.id, merchantId: merchantB, reason: 'x' };
      const error =
        method === 'WatchOrders'
          ? await new FeedReader(riderP, request).failure()
          : await failure(unary(riderP, 'MerchantOrders', method, request));
      expect(error.code).toBe(status.PERMISSION_DENIED);
    });

    it.each(['ListAssignedOrders', 'PickUpOrder', 'DeliverOrder', 'ReportException'])(
      'DeliveryOrders.%s with merchant credentials',
      async (method) => {
        const error = await failure(unary(partnerB, 'DeliveryOrders', method, { orderId: assignedToP.id }));
        expect(error.code).toBe(status.PERMISSION_DENIED);
      },
    );
  });

  describe('credentials (UNAUTHENTICATED)', () => {
    const wrong = (partner: PartnerCredentials): PartnerCredentials => ({
      partnerId: partner.partnerId,
      secret: `${partner.secret.slice(0, -1)}${partner.secret.endsWith('A') ? 'B' : 'A'}`,
    });

    it.each<[string, (good: PartnerCredentials) => PartnerCredentials | null]>([
      ['no credentials', () => null],
      ['a wrong secret', wrong],
      ['an unknown partner id', (good) => ({ partnerId: '999999999999', secret: good.secret })],
      ['a malformed partner id', (good) => ({ partnerId: 'merchant-7', secret: good.secret })],
      ['a malformed secret', (good) => ({ partnerId: good.partnerId, secret: 'hunter2' })],
    ])('refuses %s on every service', async (_label, credentials) => {
      const good = await createPartner(blink.credentials, { merchantIds: [merchantB] });
      const client = blink.client(credentials(good));
      for (const [service, method] of [
        ['MerchantOrders', 'ListOrders'],
        ['MerchantOrders', 'AcceptOrder'],
        ['DeliveryOrders', 'ListAssignedOrders'],
      ] as const) {
        const error = await failure(unary(client, service, method, { orderId: paidOfB.id }));
        expect([method, error.code, errorCode(error)]).toEqual([
          method,
          status.UNAUTHENTICATED,
          'UNAUTHENTICATED',
        ]);
      }
      expect((await new FeedReader(client, {}).failure()).code).toBe(status.UNAUTHENTICATED);
    });

    it('stops a revoked credential: new calls at once after the cache period, an open feed too', async () => {
      const merchantId = newMerchantId();
      const partner = await createPartner(blink.credentials, { merchantIds: [merchantId] });
      const client = blink.client(partner);
      await unary(client, 'MerchantOrders', 'ListOrders', {});
      const feed = new FeedReader(client, {});
      await feed.waitFor((reader) => reader.events.length === 1);
      expect(await blink.credentials.revoke(partner.partnerId, new Date())).toBe(true);
      expect((await feed.failure(3000)).code).toBe(status.UNAUTHENTICATED);
      const error = await failure(unary(client, 'MerchantOrders', 'ListOrders', {}));
      expect(error.code).toBe(status.UNAUTHENTICATED);
    });
  });

  describe('status codes of the contract', () => {
    const order = (orderId: string) => ({ orderId });

    it.each<[string, object]>([
      ['an empty order id', order('')],
      ['a non-decimal order id', order('abc')],
      ['a negative order id', order('-5')],
      ['a zero order id', order('0')],
      ['a leading zero', order('0123')],
      ['an id beyond int64', order('99999999999999999999')],
      ['a shard gene no shard has', order(String((1n << 22n) | (127n << 15n)))],
    ])('INVALID_ARGUMENT for %s', async (_label, request) => {
      for (const method of ['GetOrder', 'AcceptOrder', 'MarkReady']) {
        const error = await failure(unary(partnerB, 'MerchantOrders', method, request));
        expect([method, error.code]).toEqual([method, status.INVALID_ARGUMENT]);
        expect(['INVALID_ID', 'VALIDATION_FAILED']).toContain(errorCode(error));
      }
      for (const method of ['PickUpOrder', 'DeliverOrder']) {
        const error = await failure(unary(riderP, 'DeliveryOrders', method, request));
        expect([method, error.code]).toEqual([method, status.INVALID_ARGUMENT]);
      }
    });

    it.each(['7x', '0', '-7', '07'])('INVALID_ARGUMENT for the merchant id %j', async (merchantId) => {
      for (const method of ['ListOrders', 'GetOrder', 'AcceptOrder']) {
        const error = await failure(
          unary(partnerB, 'MerchantOrders', method, { orderId: paidOfB.id, merchantId }),
        );
        expect([method, error.code]).toEqual([method, status.INVALID_ARGUMENT]);
      }
    });

    it.each<[string, string, object]>([
      ['RejectOrder without a reason', 'RejectOrder', { orderId: '1' }],
      [
        'RejectOrder with a reason of 201 characters',
        'RejectOrder',
        { orderId: '1', reason: 'x'.repeat(201) },
      ],
      ['ListOrders with limit 101', 'ListOrders', { limit: 101 }],
      ['ListOrders with a negative limit', 'ListOrders', { limit: -1 }],
      ['ListOrders with an unknown status', 'ListOrders', { status: 42 }],
      ['ListOrders with a forged page token', 'ListOrders', { pageToken: 'page-2' }],
      ['DecideCancellation without a decision', 'DecideCancellation', { orderId: '1' }],
    ])('INVALID_ARGUMENT for %s', async (_label, method, request) => {
      const error = await failure(unary(partnerB, 'MerchantOrders', method, request));
      expect(error.code).toBe(status.INVALID_ARGUMENT);
    });

    it('INVALID_ARGUMENT for a bad report: no kind, or OTHER without a note', async () => {
      for (const request of [
        { orderId: assignedToP.id },
        { orderId: assignedToP.id, kind: 'DELIVERY_EXCEPTION_KIND_OTHER' },
        { orderId: assignedToP.id, kind: 99 },
      ]) {
        const error = await failure(unary(riderP, 'DeliveryOrders', 'ReportException', request));
        expect(error.code).toBe(status.INVALID_ARGUMENT);
      }
    });

    it.each([['x'], ['-1'], ['1.5'], ['99999999999999999999']])(
      'INVALID_ARGUMENT for the feed cursor %j, and for a cursor ahead of the feed',
      async (cursor) => {
        expect((await new FeedReader(partnerB, { cursor }).failure()).code).toBe(status.INVALID_ARGUMENT);
        expect((await new FeedReader(partnerB, { cursor: '1000000' }).failure()).code).toBe(
          status.INVALID_ARGUMENT,
        );
      },
    );

    it('INVALID_ARGUMENT when a credential of several merchants does not say which one acts', async () => {
      const both = blink.client(
        await createPartner(blink.credentials, { merchantIds: [merchantA, merchantB] }),
      );
      const error = await failure(unary(both, 'MerchantOrders', 'AcceptOrder', { orderId: paidOfB.id }));
      expect(error.code).toBe(status.INVALID_ARGUMENT);
      const listed = await unary(both, 'MerchantOrders', 'GetOrder', {
        orderId: paidOfB.id,
        merchantId: merchantB,
      });
      expect(listed).toMatchObject({ order: { id: paidOfB.id } });
    });

    it('INVALID_ARGUMENT, not INTERNAL, for bytes that are not the method’s message', async () => {
      const partner = await createPartner(blink.credentials, { merchantIds: [merchantB] });
      const metadata = new Metadata();
      metadata.set(PARTNER_ID_METADATA, partner.partnerId);
      metadata.set(PARTNER_SECRET_METADATA, partner.secret);
      const raw = new Client(blink.address, channelCredentials.createInsecure());
      try {
        for (const method of ['AcceptOrder', 'ListOrders']) {
          const error = await failure(
            new Promise((resolve, reject) => {
              raw.makeUnaryRequest(
                `/eos.blink.v1.MerchantOrders/${method}`,
                (bytes: Buffer) => bytes,
                (bytes: Buffer) => bytes,
                Buffer.from([0x0a, 0xff, 0xff, 0xff]),
                metadata,
                (err, value) => (err ? reject(err) : resolve(value)),
              );
            }),
          );
          expect([method, error.code, errorCode(error)]).toEqual([
            method,
            status.INVALID_ARGUMENT,
            'VALIDATION_FAILED',
          ]);
        }
      } finally {
        raw.close();
      }
    });

    it('NOT_FOUND for a well-formed id of no order', async () => {
      const missing = encodeOrderId({
        timestampMs: Date.now(),
        shard: 7,
        worker: 63,
        sequence: 511,
      }).toString();
      for (const method of ['GetOrder', 'AcceptOrder']) {
        const error = await failure(unary(partnerB, 'MerchantOrders', method, { orderId: missing }));
        expect([method, error.code, errorCode(error)]).toEqual([method, status.NOT_FOUND, 'ORDER_NOT_FOUND']);
      }
      const rider = await failure(unary(riderP, 'DeliveryOrders', 'PickUpOrder', { orderId: missing }));
      expect(rider.code).toBe(status.NOT_FOUND);
    });

    it('FAILED_PRECONDITION for a move the state machine forbids, and nothing changes', async () => {
      const merchantId = newMerchantId();
      const merchant = blink.client(await createPartner(blink.credentials, { merchantIds: [merchantId] }));
      const paid = await blink.orders.paid(merchantId);
      const ready = await failure(unary(merchant, 'MerchantOrders', 'MarkReady', { orderId: paid.id }));
      expect([ready.code, errorCode(ready)]).toEqual([status.FAILED_PRECONDITION, 'ILLEGAL_TRANSITION']);
      await blink.orders.assign(paid.id, deliveryP);
      const pickUp = await failure(unary(riderP, 'DeliveryOrders', 'PickUpOrder', { orderId: paid.id }));
      expect(pickUp.code).toBe(status.FAILED_PRECONDITION);
      await unary(merchant, 'MerchantOrders', 'AcceptOrder', { orderId: paid.id });
      const again = await failure(unary(merchant, 'MerchantOrders', 'AcceptOrder', { orderId: paid.id }));
      expect(again.code).toBe(status.FAILED_PRECONDITION);
      const reject = await failure(
        unary(merchant, 'MerchantOrders', 'RejectOrder', { orderId: paid.id, reason: 'too late' }),
      );
      expect(reject.code).toBe(status.FAILED_PRECONDITION);
      const deliver = await failure(unary(riderP, 'DeliveryOrders', 'DeliverOrder', { orderId: paid.id }));
      expect(deliver.code).toBe(status.FAILED_PRECONDITION);
      const decide = await failure(
        unary(merchant, 'MerchantOrders', 'DecideCancellation', {
          orderId: paid.id,
          decision: 'CANCELLATION_DECISION_REFUSE',
        }),
      );
      expect(decide.code).toBe(status.FAILED_PRECONDITION);
      const trail = await readOrderTrail(blink.sources, blink.router, paid.id);
      expect([trail?.status, trail?.version]).toEqual(['ACCEPTED', 3]);
    });

    it('rejects a paid order with its reason kept, and records a rider’s exception report', async () => {
      const merchantId = newMerchantId();
      const merchant = blink.client(await createPartner(blink.credentials, { merchantIds: [merchantId] }));
      const paid = await blink.orders.paid(merchantId);
      const rejected = await unary(merchant, 'MerchantOrders', 'RejectOrder', {
        orderId: paid.id,
        reason: '  kitchen closed early ',
      });
      expect(rejected).toMatchObject({ order: { status: 'ORDER_STATUS_CANCELLED' } });
      const trail = await readOrderTrail(blink.sources, blink.router, paid.id);
      expect(trail?.history[2]).toMatchObject({ actor: 'merchant', reason: 'kitchen closed early' });
      expect(trail?.refunds).toEqual([expect.objectContaining({ reason: 'MERCHANT_REJECTED' })]);

      const report = await unary(riderP, 'DeliveryOrders', 'ReportException', {
        orderId: assignedToP.id,
        kind: 'DELIVERY_EXCEPTION_KIND_OTHER',
        note: 'gate locked',
      });
      expect(report).toMatchObject({
        orderId: assignedToP.id,
        exceptionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
    });

    it('RESOURCE_EXHAUSTED beyond a partner’s rate limit, for that partner only', async () => {
      const merchantId = newMerchantId();
      const limited = blink.client(
        await createPartner(blink.credentials, { merchantIds: [merchantId] }, { ratePerSecond: 1, burst: 3 }),
      );
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, () => unary(limited, 'MerchantOrders', 'ListOrders', {})),
      );
      const refused = results.flatMap((result) =>
        result.status === 'rejected' && isServiceError(result.reason) ? [result.reason.code] : [],
      );
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
      expect(refused).toEqual([3, 3, 3].map(() => status.RESOURCE_EXHAUSTED));
      await unary(partnerB, 'MerchantOrders', 'ListOrders', {});
    });
  });
});
