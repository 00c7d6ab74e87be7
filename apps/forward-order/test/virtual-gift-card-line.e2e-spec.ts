import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { EOS_CONFIG, EosConfig, HttpErrorFilter, mintToken, strictValidationPipe } from '@eos/common';
import { Order, VirtualOrderExtension } from '@eos/domain';
import { ShardDataSources } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import {
  LONG_AGO,
  awaitVirtualOrder,
  breakfastOrderBody,
  newUserId,
  payThroughCallback,
  postVirtualOrder,
  readOrderTrail,
  setOrderMoment,
} from '@eos/testing';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { ForwardOrderModule } from '../src/forward-order.module';
import {
  FulfilmentResult,
  VIRTUAL_BUSINESS_LINES,
  VirtualBusinessLine,
  VirtualFulfilmentHandler,
} from '../src/virtual/virtual-business-line';
import { VIRTUAL_BUSINESS_LINE_CONFIG } from '../src/virtual/virtual-business-lines.config';
import { VirtualOrderSweeps } from '../src/virtual/virtual-order.sweeps';

// ---- The whole of a third business line: one handler class and one configuration entry. ----

/** Gift cards: the card number and balance are issued with the order. */
@Injectable()
class GiftCardHandler implements VirtualFulfilmentHandler {
  fulfil(order: Order, extension: VirtualOrderExtension): Promise<FulfilmentResult> {
    return Promise.resolve({
      cardNumber: `GC-${order.id}`,
      balanceCents: order.totalCents,
      recipientName: extension.details.recipientName,
    });
  }
}

class GiftCardDetails {
  @IsString()
  @Length(1, 50)
  recipientName!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  message?: string;
}

const GIFT_CARD_LINE: VirtualBusinessLine = {
  id: 'gift-card',
  currency: 'CNY',
  products: [
    { sku: 'gift-card-100', name: 'Gift card, 100 yuan', unitPriceCents: 10_000 },
    { sku: 'gift-card-200', name: 'Gift card, 200 yuan', unitPriceCents: 20_000 },
  ],
  details: { schema: GiftCardDetails, version: 1 },
  handler: GiftCardHandler,
};

// ---------------------------------------------------------------------------------------------

/**
 * Proves that a virtual business line is configuration plus a handler: forward-order, started with
 * the configured lines and the gift card appended, sells gift cards through the same routes,
 * payment callback and fulfilment as breakfast, and nothing else was written for it.
 */
describe('a third virtual business line, added by configuration (e2e)', () => {
  let app: NestFastifyApplication;
  let url: string;
  let config: EosConfig;

  beforeAll(async () => {
    process.env.SWEEP_INTERVAL_MS ??= '0';
    const moduleRef = await Test.createTestingModule({ imports: [ForwardOrderModule] })
      .overrideProvider(VIRTUAL_BUSINESS_LINES)
      .useValue([...VIRTUAL_BUSINESS_LINE_CONFIG, GIFT_CARD_LINE])
      .compile();
    // As createHttpApp builds the real app: the contract's validation and error shape, raw bodies
    // for the signed payment callback.
    app = moduleRef.createNestApplication<NestFastifyApplication>(
      new FastifyAdapter({ bodyLimit: 64 * 1024 }),
      {
        rawBody: true,
      },
    );
    app.useGlobalPipes(strictValidationPipe());
    app.useGlobalFilters(new HttpErrorFilter());
    app.useLogger(['error', 'warn']);
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    config = app.get<EosConfig>(EOS_CONFIG);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('sells a gift card: create -> pay -> fulfilled by the gift card handler, the other lines unchanged', async () => {
    const userId = newUserId();
    const token = mintToken(config.JWT_SECRET, 'customer', userId);
    const created = await postVirtualOrder(url, token, {
      businessLine: 'gift-card',
      merchantId: '17',
      items: [{ sku: 'gift-card-200', quantity: 1 }],
      details: { recipientName: 'Li Lei', message: 'Happy birthday' },
    });
    expect(created.status).toBe(201);
    const order = created.body;
    expect(order).toMatchObject({
      kind: 'VIRTUAL',
      businessLine: 'gift-card',
      totalCents: 20_000,
      status: 'CREATED',
    });

    const paid = await payThroughCallback(url, config.PAYMENT_WEBHOOK_SECRET, order);
    expect([paid.status, paid.body.outcome]).toEqual([200, 'APPLIED']);
    // The order.virtual.paid event fulfils it here; an instance of forward-order running elsewhere
    // without this line may take the event first (and fail it for retry), so the backstop sweep,
    // moved past its grace, makes the outcome certain. Either path runs the same handler once.
    const sources = app.get(ShardDataSources);
    const router = app.get(ShardRouter);
    await setOrderMoment(sources, router, order.id, 'paid_at', LONG_AGO);
    await app.get(VirtualOrderSweeps).fulfilOverdue({ shards: [router.routeOrder(order.id).shard] });

    const fulfilled = await awaitVirtualOrder(url, token, order.id, (o) => o.status === 'FULFILLED');
    expect(fulfilled.status).toBe('FULFILLED');
    expect(fulfilled.fulfilment).toEqual({
      cardNumber: `GC-${order.id}`,
      balanceCents: 20_000,
      recipientName: 'Li Lei',
    });
    const trail = await readOrderTrail(sources, router, order.id);
    expect(trail?.history.map((entry) => entry.to)).toEqual(['CREATED', 'PAID', 'FULFILLED']);
    expect(trail?.outbox.map((event) => event.eventType)).toEqual([
      'order.virtual.created',
      'order.virtual.paid',
      'order.virtual.fulfilled',
    ]);

    // The configured lines still sell as before in the same app.
    const breakfast = await postVirtualOrder(url, token, breakfastOrderBody());
    expect([breakfast.status, breakfast.body.businessLine]).toEqual([201, 'breakfast']);
  });

  it("checks a gift card's details against its own schema", async () => {
    const token = mintToken(config.JWT_SECRET, 'customer', newUserId());
    const refused = await postVirtualOrder<{ code: string; message: string }>(url, token, {
      businessLine: 'gift-card',
      merchantId: '17',
      items: [{ sku: 'gift-card-100', quantity: 1 }],
      details: { message: 'no recipient' },
    });
    expect([refused.status, refused.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(refused.body.message).toContain('details.recipientName');
  });
});
