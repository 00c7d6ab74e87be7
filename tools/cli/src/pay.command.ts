import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { EosConfig } from '@eos/common';
import { PaymentStatus } from '@eos/domain';
import { signPaymentCallback } from '@eos/ordering';
import { OrderTransitionRepository, ShardDataSources, shardMapFrom } from '@eos/persistence';
import { ShardRouter, parseOrderId } from '@eos/sharding';
import { UsageError } from './usage.error';

const CALL_TIMEOUT_MS = 5000;

async function orderTotal(config: EosConfig, orderId: string): Promise<number> {
  const map = shardMapFrom(config);
  const sources = new ShardDataSources(map, {
    poolSize: 1,
    statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: config.PG_CONNECT_TIMEOUT_MS,
    applicationName: 'eos-cli-pay',
  });
  await sources.initialize();
  try {
    const subject = await new OrderTransitionRepository(sources).load(
      new ShardRouter(map).routeOrder(orderId),
      orderId,
    );
    if (!subject) throw new Error(`order ${orderId} does not exist`);
    return subject.order.totalCents;
  } finally {
    await sources.destroy();
  }
}

/**
 * `eos pay <orderId> [--amount <cents>] [--fail] [--notification <id>] [--url <callback url>]`:
 * a stand-in for the payment provider, for demos. Signs a notification with
 * PAYMENT_WEBHOOK_SECRET and sends it to forward-order's callback. The amount defaults to the
 * order's total, read from its shard as a real provider would know it from the payment intent.
 */
export async function payCommand(config: EosConfig, args: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        amount: { type: 'string' },
        fail: { type: 'boolean', default: false },
        notification: { type: 'string' },
        url: { type: 'string' },
      },
    });
  } catch {
    throw new UsageError();
  }
  const { values, positionals } = parsed;
  const [orderId] = positionals;
  if (orderId === undefined || positionals.length !== 1) throw new UsageError();
  parseOrderId(orderId);
  if (values.amount !== undefined && !/^(0|[1-9][0-9]{0,15})$/.test(values.amount)) throw new UsageError();
  const amountCents = values.amount !== undefined ? Number(values.amount) : await orderTotal(config, orderId);
  const body = JSON.stringify({
    notificationId: values.notification ?? `sim-${randomUUID()}`,
    orderId,
    amountCents,
    status: values.fail ? PaymentStatus.Failed : PaymentStatus.Succeeded,
    paidAt: new Date().toISOString(),
  });
  const url = values.url ?? `http://127.0.0.1:${config.FORWARD_PORT}/v1/payments/callback`;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'eos-signature': signPaymentCallback(config.PAYMENT_WEBHOOK_SECRET, body, Date.now() / 1000),
    },
    body,
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  const answer = await response.text();
  console.log(`${response.status} ${answer}`);
  if (!response.ok) throw new Error(`the callback was refused with ${response.status}`);
}
