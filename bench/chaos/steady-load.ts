import { randomBytes } from 'node:crypto';
import { signPaymentCallback } from '@eos/ordering';
import type { ShardRouter } from '@eos/sharding';
import type { CheckoutRequest, CheckoutRequests } from '../checkout/checkout-request';

/** How one HTTP request ended. */
export interface RequestOutcome {
  readonly startedAt: number;
  readonly finishedAt: number;
  /** HTTP status, or null when no answer came (refused, reset, client timeout). */
  readonly status: number | null;
  /**
   * `OK` for a success (a payment: its `outcome`, e.g. APPLIED); else the error body's `code`, the
   * socket error's code, or `CLIENT_TIMEOUT`.
   */
  readonly code: string;
  /** The order id a checkout answered with. */
  readonly orderId: string | undefined;
  readonly totalCents: number | undefined;
}

/** The payment callback sent for an order right after its checkout. */
export interface PaymentAttempt {
  readonly notification: string;
  readonly outcome: RequestOutcome;
  /** The same notification sent again after the fault, when the first did not answer 200. */
  retry: RequestOutcome | undefined;
}

/** One checkout the load sent, and how it ended. */
export interface CheckoutAttempt {
  readonly request: CheckoutRequest;
  readonly userId: string;
  readonly idempotencyKey: string;
  readonly database: string;
  readonly outcome: RequestOutcome;
  /** The same checkout (key and body) sent again after the fault, when the first did not answer 201. */
  retry: RequestOutcome | undefined;
  /** Set when this order was also paid (every `payEvery`-th created order). */
  payment: PaymentAttempt | undefined;
}

export interface SteadyLoadOptions {
  readonly url: string;
  readonly requests: CheckoutRequests;
  readonly router: ShardRouter;
  readonly ratePerSecond: number;
  /** The client gives up on an answer after this long (recorded as CLIENT_TIMEOUT). */
  readonly timeoutMs: number;
  /** Every this-many-th created order is paid at once (signed callback), so transitions run too. */
  readonly payEvery: number;
  readonly webhookSecret: string;
}

/** Requests in flight beyond which a tick is skipped: a stuck app must not exhaust the client. */
const MAX_IN_FLIGHT = 400;
const SETTLE_CONCURRENCY = 8;

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function networkErrorCode(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return 'CLIENT_TIMEOUT';
  }
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : 'NETWORK_ERROR';
}

/**
 * Checkouts at a fixed rate (open loop: a slow answer does not slow the next request, as real
 * customers would not wait for each other), each a new order of a customer drawn from a pool
 * spread evenly over the 120 user shards; every few created orders are paid at once. Every request
 * is recorded with its user's shard database. After the fault, settle() sends each failed request
 * once more, exactly as a client holding its Idempotency-Key (or a provider its notification id)
 * would.
 */
export class SteadyCheckoutLoad {
  readonly attempts: CheckoutAttempt[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private skipped = 0;
  private created = 0;

  constructor(private readonly options: SteadyLoadOptions) {}

  /** Ticks that found MAX_IN_FLIGHT requests still open and sent nothing. */
  get skippedTicks(): number {
    return this.skipped;
  }

  start(): void {
    const interval = 1000 / this.options.ratePerSecond;
    const startedAt = Date.now();
    let sent = 0;
    const tick = (): void => {
      const due = Math.floor((Date.now() - startedAt) / interval) + 1;
      while (sent < due) {
        sent += 1;
        if (this.inFlight.size >= MAX_IN_FLIGHT) {
          this.skipped += 1;
          continue;
        }
        const request = this.checkoutAndMaybePay(this.options.requests.next());
        this.inFlight.add(request);
        void request.finally(() => this.inFlight.delete(request));
      }
      this.timer = setTimeout(tick, Math.max(1, startedAt + sent * interval - Date.now()));
    };
    tick();
  }

  /** Stops sending and waits for every request in flight to end. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Sends every checkout and payment that did not succeed once more, with the same key or id. */
  async settle(): Promise<void> {
    const work: (() => Promise<void>)[] = [];
    for (const attempt of this.attempts) {
      if (attempt.outcome.status !== 201) {
        work.push(async () => {
          attempt.retry = await this.checkout(attempt.request);
        });
      }
      const payment = attempt.payment;
      if (payment !== undefined && payment.outcome.status !== 200) {
        work.push(async () => {
          payment.retry = await this.pay(payment.notification);
        });
      }
    }
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < work.length) {
        const job = work[next];
        next += 1;
        await job();
      }
    };
    await Promise.all(Array.from({ length: SETTLE_CONCURRENCY }, worker));
  }

  private async checkoutAndMaybePay(request: CheckoutRequest): Promise<void> {
    const outcome = await this.checkout(request);
    const attempt: CheckoutAttempt = {
      request,
      userId: request.customer.id,
      idempotencyKey: request.idempotencyKey,
      database: this.options.router.routeUser(request.customer.id).database,
      outcome,
      retry: undefined,
      payment: undefined,
    };
    this.attempts.push(attempt);
    if (outcome.orderId === undefined || outcome.totalCents === undefined) return;
    this.created += 1;
    if (this.created % this.options.payEvery !== 0) return;
    const notification = JSON.stringify({
      notificationId: `chaos-${randomBytes(10).toString('hex')}`,
      orderId: outcome.orderId,
      amountCents: outcome.totalCents,
      status: 'SUCCEEDED',
      paidAt: new Date().toISOString(),
    });
    const payment: PaymentAttempt = { notification, outcome: await this.pay(notification), retry: undefined };
    attempt.payment = payment;
  }

  private checkout(request: CheckoutRequest): Promise<RequestOutcome> {
    return this.post(
      '/v1/orders',
      {
        authorization: request.customer.authorization,
        'idempotency-key': request.idempotencyKey,
      },
      JSON.stringify(request.body),
      201,
    );
  }

  /** The provider's callback; signed afresh on every send, as the provider signs each delivery. */
  private pay(notification: string): Promise<RequestOutcome> {
    return this.post(
      '/v1/payments/callback',
      { 'eos-signature': signPaymentCallback(this.options.webhookSecret, notification, Date.now() / 1000) },
      notification,
      200,
    );
  }

  private async post(
    path: string,
    headers: Record<string, string>,
    body: string,
    success: number,
  ): Promise<RequestOutcome> {
    const startedAt = Date.now();
    try {
      const response = await fetch(`${this.options.url}${path}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const answer = parseJson(await response.text());
      const field = response.status === success ? (answer?.outcome ?? 'OK') : answer?.code;
      return {
        startedAt,
        finishedAt: Date.now(),
        status: response.status,
        code: typeof field === 'string' ? field : `HTTP_${response.status}`,
        orderId: typeof answer?.id === 'string' ? answer.id : undefined,
        totalCents: typeof answer?.totalCents === 'number' ? answer.totalCents : undefined,
      };
    } catch (error) {
      return {
        startedAt,
        finishedAt: Date.now(),
        status: null,
        code: networkErrorCode(error),
        orderId: undefined,
        totalCents: undefined,
      };
    }
  }
}
