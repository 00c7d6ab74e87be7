import { randomBytes, randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DEMO_MERCHANTS } from '@eos/persistence';
import { signPaymentCallback } from '@eos/ordering';
import type { CheckoutRequests } from '../checkout/checkout-request';
import type { Customer } from '../checkout/customer-pool';
import type { HttpCall } from '../load/closed-model';
import type { HttpAnswer, HttpClient } from '../load/http-client';
import { errorKind } from '../load/phase-measurement';
import type { RequestRecorder } from '../load/request-recorder';
import { pickWeighted } from '../load/user-simulation';

/** What a simulated customer does, in the issue's proportions (refunds a trickle on top). */
export const MIX_TASKS = ['menu', 'checkout', 'pay', 'my-orders', 'refund'] as const;
export type MixTask = (typeof MIX_TASKS)[number];

export function mixWeights(refundWeight: number): readonly number[] {
  return [60, 20, 10, 10, refundWeight];
}

/** One simulated customer: who they are and the orders they created and paid in this run. */
export interface MixUser {
  readonly customer: Customer;
  readonly unpaid: { readonly id: string; readonly totalCents: number }[];
  readonly paid: string[];
}

export interface MixCustomerDeps {
  readonly forward: HttpClient;
  /** reverse-order, for the refund trickle; undefined leaves refunds out. */
  readonly reverse: HttpClient | undefined;
  readonly checkouts: CheckoutRequests;
  readonly webhookSecret: string;
  readonly recorder: RequestRecorder;
  readonly weights: readonly number[];
}

/**
 * A customer's tasks: browse a random merchant's menu; check out (their own token, a fresh key);
 * pay one of their unpaid orders through the provider's signed callback (a checkout when they have
 * none); list their orders (first page); cancel one of their paid orders, which refunds it (a
 * payment first when they have none paid). Every request is recorded with its kind.
 */
export class MixCustomerTasks {
  constructor(private readonly deps: MixCustomerDeps) {}

  async act(user: MixUser): Promise<void> {
    const task = MIX_TASKS[pickWeighted(this.deps.weights, Math.random())];
    switch (task) {
      case 'menu':
        return this.browseMenu();
      case 'checkout':
        return this.checkout(user);
      case 'pay':
        return user.unpaid.length > 0 ? this.pay(user) : this.checkout(user);
      case 'my-orders':
        return this.listOrders(user);
      case 'refund':
        if (user.paid.length > 0 && this.deps.reverse) return this.cancelPaid(user, this.deps.reverse);
        return user.unpaid.length > 0 ? this.pay(user) : this.checkout(user);
    }
  }

  private async browseMenu(): Promise<void> {
    await this.send('menu', this.deps.forward, {
      method: 'GET',
      path: `/v1/merchants/${randomInt(1, DEMO_MERCHANTS + 1)}/menu`,
    });
  }

  private async checkout(user: MixUser): Promise<void> {
    const request = this.deps.checkouts.next();
    const answer = await this.send(
      'checkout',
      this.deps.forward,
      {
        method: 'POST',
        path: '/v1/orders',
        headers: {
          authorization: user.customer.authorization,
          'content-type': 'application/json',
          'idempotency-key': request.idempotencyKey,
        },
        body: JSON.stringify(request.body),
      },
      true,
    );
    const order = answer && parseObject(answer.body);
    if (typeof order?.id === 'string' && typeof order.totalCents === 'number') {
      user.unpaid.push({ id: order.id, totalCents: order.totalCents });
    }
  }

  private async pay(user: MixUser): Promise<void> {
    const order = user.unpaid.shift();
    if (!order) return;
    const notification = JSON.stringify({
      notificationId: `bench-${randomBytes(10).toString('hex')}`,
      orderId: order.id,
      amountCents: order.totalCents,
      status: 'SUCCEEDED',
      paidAt: new Date().toISOString(),
    });
    const answer = await this.send('pay', this.deps.forward, {
      method: 'POST',
      path: '/v1/payments/callback',
      headers: {
        'content-type': 'application/json',
        'eos-signature': signPaymentCallback(this.deps.webhookSecret, notification, Date.now() / 1000),
      },
      body: notification,
    });
    if (answer) user.paid.push(order.id);
  }

  private async listOrders(user: MixUser): Promise<void> {
    await this.send('my-orders', this.deps.forward, {
      method: 'GET',
      path: '/v1/orders',
      headers: { authorization: user.customer.authorization },
    });
  }

  private async cancelPaid(user: MixUser, reverse: HttpClient): Promise<void> {
    const orderId = user.paid.shift();
    if (!orderId) return;
    await this.send('refund', reverse, {
      method: 'POST',
      path: `/v1/orders/${orderId}/cancellation`,
      headers: { authorization: user.customer.authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'bench: changed my mind' }),
    });
  }

  /** Sends and records one request; the answer when it was a 2xx, else undefined. */
  private async send(
    kind: MixTask,
    client: HttpClient,
    call: HttpCall,
    createsOrder = false,
  ): Promise<HttpAnswer | undefined> {
    const startedAt = performance.now();
    try {
      const answer = await client.send(call);
      const latency = performance.now() - startedAt;
      if (answer.status >= 200 && answer.status < 300) {
        this.deps.recorder.success(kind, startedAt, latency, createsOrder);
        return answer;
      }
      const code = parseObject(answer.body)?.code;
      const label = `${kind} ${answer.status}${typeof code === 'string' ? ` ${code}` : ''}`;
      this.deps.recorder.failure(kind, label, startedAt, latency, answer.body);
    } catch (error) {
      this.deps.recorder.failure(
        kind,
        `${kind} ${errorKind(error)}`,
        startedAt,
        performance.now() - startedAt,
      );
    }
    return undefined;
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
