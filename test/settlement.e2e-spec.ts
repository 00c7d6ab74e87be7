import 'reflect-metadata';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { EOS_CONFIG, EosConfig, mintToken } from '@eos/common';
import { OrderTransitions, SETTLEMENT_CSV_HEADER } from '@eos/ordering';
import { ShardDataSources } from '@eos/persistence';
import { OrderIdGenerator, ShardRouter } from '@eos/sharding';
import {
  RunningApp,
  checkoutBody,
  http,
  newIdempotencyKey,
  paymentBody,
  postPaymentCallback,
  setOrderMoment,
  signCallback,
  startHttpApp,
} from '@eos/testing';
import { ForwardOrderModule } from '../apps/forward-order/src/forward-order.module';
import { settlementCommand } from '../tools/cli/src/settlement.command';
import { UsageError } from '../tools/cli/src/usage.error';

interface OrderBody {
  id: string;
  merchantId: string;
  subtotalCents: number;
  packagingFeeCents: number;
  deliveryFeeCents: number;
  discountCents: number;
  totalCents: number;
  currency: string;
}

const DAY_MS = 24 * 3_600_000;

describe('settlement CSV of a day (e2e: orders through forward-order, CSV through the CLI command)', () => {
  let running: RunningApp;
  let config: EosConfig;
  let router: ShardRouter;
  let sources: ShardDataSources;
  let transitions: OrderTransitions;
  let outDir: string;

  beforeAll(async () => {
    running = await startHttpApp(ForwardOrderModule, 'forward-order');
    config = running.app.get<EosConfig>(EOS_CONFIG);
    router = running.app.get(ShardRouter);
    sources = running.app.get(ShardDataSources);
    transitions = running.app.get(OrderTransitions);
    outDir = await mkdtemp(join(tmpdir(), 'eos-settlement-'));
  });

  afterAll(async () => {
    await running.close();
    await rm(outDir, { recursive: true, force: true });
  });

  /** A customer on the given user shard, so the orders spread over both shard databases. */
  function customerOnShard(shard: number): string {
    return String(BigInt(randomInt(1, 2 ** 40)) * 120n + BigInt(shard));
  }

  async function order(merchant: number, shard: number): Promise<{ body: OrderBody; userId: string }> {
    const userId = customerOnShard(shard);
    const created = await http<OrderBody>('POST', `${running.url}/v1/orders`, {
      token: mintToken(config.JWT_SECRET, 'customer', userId),
      body: checkoutBody(merchant, 3),
      headers: { 'idempotency-key': newIdempotencyKey() },
    });
    expect(created.status).toBe(201);
    return { body: created.body, userId };
  }

  async function delivered(merchant: number, shard: number): Promise<{ body: OrderBody; userId: string }> {
    const placed = await order(merchant, shard);
    const signed = signCallback(
      config.PAYMENT_WEBHOOK_SECRET,
      paymentBody(placed.body.id, placed.body.totalCents),
    );
    expect((await postPaymentCallback(running.url, signed.raw, signed.signature)).status).toBe(200);
    await transitions.accept(placed.body.id);
    await transitions.markReady(placed.body.id);
    await transitions.pickUp(placed.body.id);
    await transitions.deliver(placed.body.id);
    return placed;
  }

  async function completedAt(merchant: number, shard: number, at: Date): Promise<OrderBody> {
    const placed = await delivered(merchant, shard);
    const confirmed = await http('POST', `${running.url}/v1/orders/${placed.body.id}/confirm-receipt`, {
      token: mintToken(config.JWT_SECRET, 'customer', placed.userId),
    });
    expect(confirmed.status).toBe(200);
    // Settlement reads completed_at: the order is placed on the test day by moving that moment.
    await setOrderMoment(sources, router, placed.body.id, 'completed_at', at);
    return placed.body;
  }

  it('sums, per merchant, exactly the orders completed that UTC day, to the cent', async () => {
    // A day far ahead that no other test completes orders on.
    const start = Date.UTC(2090, 0, 1) + randomInt(0, 3650) * DAY_MS;
    const date = new Date(start).toISOString().slice(0, 10);
    const merchants = [randomInt(1, 334), randomInt(334, 667), randomInt(667, 1001)];
    const inside = [
      new Date(start),
      new Date(start + 1),
      new Date(start + DAY_MS / 2),
      new Date(start + DAY_MS - 1),
    ];

    const counted: OrderBody[] = [];
    // Every merchant has orders from users on both shard databases (user shards 0-59 and 60-119).
    for (const [index, merchant] of merchants.entries()) {
      for (const shard of [index * 7, 60 + index * 11]) {
        counted.push(await completedAt(merchant, shard, inside[(index + shard) % inside.length]));
      }
    }
    counted.push(await completedAt(merchants[0], 119, inside[3]));
    // Just outside the day, and never completed: none of these is counted.
    await completedAt(merchants[0], 3, new Date(start - 1));
    await completedAt(merchants[1], 64, new Date(start + DAY_MS));
    const notCompleted = await delivered(merchants[2], 5);
    await setOrderMoment(sources, router, notCompleted.body.id, 'delivered_at', new Date(start + 1000));
    const cancelled = await order(merchants[2], 70);
    await transitions.expire(cancelled.body.id);

    const expected = merchants
      .map((merchant) => {
        const own = counted.filter((body) => body.merchantId === String(merchant));
        const sum = (field: keyof OrderBody): number =>
          own.reduce((total, body) => total + Number(body[field]), 0);
        return [
          merchant,
          own.length,
          sum('subtotalCents'),
          sum('packagingFeeCents'),
          sum('deliveryFeeCents'),
          sum('discountCents'),
          sum('totalCents'),
          own[0].currency,
          // No refunds: nothing to subtract, all of the total is payable.
          0,
          sum('totalCents'),
        ].join(',');
      })
      .sort((a, b) => Number(a.split(',')[0]) - Number(b.split(',')[0]));
    for (const body of counted) {
      expect(body.totalCents).toBe(
        body.subtotalCents + body.packagingFeeCents + body.deliveryFeeCents - body.discountCents,
      );
    }

    const path = await settlementCommand(config, ['--date', date, '--out', outDir]);
    expect(path).toBe(join(outDir, `settlement-${date}.csv`));
    const csv = await readFile(path, 'utf8');
    expect(csv).toBe(`${[SETTLEMENT_CSV_HEADER, ...expected].join('\n')}\n`);

    // Written again, the same day gives the same file: nothing is counted twice.
    await settlementCommand(config, ['--date', date, '--out', outDir]);
    expect(await readFile(path, 'utf8')).toBe(csv);

    // The neighbouring days hold exactly the two orders just outside.
    const before = new Date(start - DAY_MS).toISOString().slice(0, 10);
    const beforeCsv = await readFile(
      await settlementCommand(config, ['--date', before, '--out', outDir]),
      'utf8',
    );
    expect(beforeCsv.trim().split('\n').slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^${merchants[0]},1,`)),
    ]);
  });

  /** A refund of the order as refund execution keeps it, from an approved refund request. */
  async function refundOf(
    order: OrderBody,
    amountCents: number,
    bearer: string,
    status: string,
  ): Promise<void> {
    const route = router.routeOrder(order.id);
    const ids = running.app.get(OrderIdGenerator);
    await sources.get(route.database).query(
      `WITH request AS (
  INSERT INTO ${route.schema}.reverse_requests (id, order_id, user_id, merchant_id, kind, status, reason, amount_cents,
    currency, lines, requested_by, decided_by, bearer, version, created_at, updated_at)
  SELECT $2, o.id, o.user_id, o.merchant_id, 'REFUND', 'APPROVED', 'missing item', $4, o.currency, '[]',
    'customer:' || o.user_id, 'staff:2', $5, 2, now(), now()
  FROM ${route.schema}.orders o WHERE o.id = $1
  RETURNING id, order_id, currency
), promised AS (
  UPDATE ${route.schema}.orders SET refunded_cents = refunded_cents + $4 WHERE id = $1
)
INSERT INTO ${route.schema}.refunds (id, order_id, reverse_request_id, amount_cents, currency, bearer, reason, status,
  attempts, next_attempt_at, created_at, updated_at)
SELECT $3, order_id, id, $4, currency, $5, 'missing item', $6, 0, NULL, now(), now() FROM request`,
      [order.id, ids.next(route.shard), ids.next(route.shard), amountCents, bearer, status],
    );
  }

  it('subtracts the refunds the merchant bears, whatever their execution status, and only those', async () => {
    const start = Date.UTC(2100, 0, 1) + randomInt(0, 3650) * DAY_MS;
    const date = new Date(start).toISOString().slice(0, 10);
    const merchant = randomInt(1, 1001);
    // Refunded while delivered (refunds are decided before completion), then completed that day.
    const refunded = await delivered(merchant, 17);
    await refundOf(refunded.body, 300, 'MERCHANT', 'SUCCEEDED');
    await refundOf(refunded.body, 200, 'MERCHANT', 'FAILED');
    await refundOf(refunded.body, 100, 'PLATFORM', 'SUCCEEDED');
    const other = await delivered(merchant, 77);
    await refundOf(other.body, 50, 'DELIVERY_PARTNER', 'PENDING');
    for (const placed of [refunded, other]) {
      const confirmed = await http('POST', `${running.url}/v1/orders/${placed.body.id}/confirm-receipt`, {
        token: mintToken(config.JWT_SECRET, 'customer', placed.userId),
      });
      expect(confirmed.status).toBe(200);
      await setOrderMoment(sources, router, placed.body.id, 'completed_at', new Date(start + DAY_MS / 3));
    }

    const csv = await readFile(await settlementCommand(config, ['--date', date, '--out', outDir]), 'utf8');
    const total = refunded.body.totalCents + other.body.totalCents;
    expect(csv.trim().split('\n').slice(1)).toEqual([
      expect.stringMatching(
        new RegExp(`^${merchant},2,.*,${total},${refunded.body.currency},500,${total - 500}$`),
      ),
    ]);
  });

  it('refuses a missing or impossible date', async () => {
    await expect(settlementCommand(config, ['--out', outDir])).rejects.toBeInstanceOf(UsageError);
    await expect(settlementCommand(config, ['--date', '2091-02-30', '--out', outDir])).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(settlementCommand(config, ['--date'])).rejects.toBeInstanceOf(UsageError);
  });
});
