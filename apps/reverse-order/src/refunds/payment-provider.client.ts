import { TaskCancelledError, TimeoutPolicy, TimeoutStrategy, timeout } from 'cockatiel';
import { signPaymentCallback } from '@eos/ordering';

/** What is asked of the provider: the refund id doubles as the idempotency key. */
export interface ProviderRefundRequest {
  readonly refundId: string;
  readonly orderId: string;
  readonly amountCents: number;
  readonly currency: string;
}

/**
 * How one call ended. `retryable`: the provider may not have paid (or paid and its answer was
 * lost); the same call again is safe, since the key makes the provider pay at most once.
 * `permanent`: the provider refused the call as it is (bad signature, malformed, key reused);
 * retrying unchanged cannot help.
 */
export type ProviderOutcome =
  | { readonly kind: 'paid'; readonly providerRefundId: string }
  | { readonly kind: 'retryable'; readonly error: string; readonly timedOut: boolean }
  | { readonly kind: 'permanent'; readonly error: string };

export interface PaymentProviderSettings {
  /** PAYMENT_PROVIDER_URL */
  readonly url: string;
  /** PAYMENT_PROVIDER_SECRET */
  readonly secret: string;
  /** PAYMENT_PROVIDER_TIMEOUT_MS: the whole call, connection to last byte of the answer. */
  readonly timeoutMs: number;
}

// Conflict (a call with this key is in progress there) and rate limiting: come back later.
const RETRYABLE_CLIENT_ERRORS = new Set([409, 429]);
const MAX_ERROR_LENGTH = 300;

/**
 * Provider-Signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, the scheme the
 * provider signs its payment callbacks with, in the other direction and with the refund API's secret.
 */
export function providerSignature(secret: string, rawBody: string, timestampSeconds: number): string {
  return signPaymentCallback(secret, rawBody, timestampSeconds);
}

/**
 * The payment provider's refund API: one signed, idempotent call per attempt under a hard timeout.
 * The timeout aborts the request itself (an AbortSignal handed to fetch), so a call that timed out
 * holds no socket and cannot answer later. It never throws: every ending is a ProviderOutcome.
 */
export class PaymentProviderClient {
  private readonly deadline: TimeoutPolicy;

  constructor(private readonly settings: PaymentProviderSettings) {
    this.deadline = timeout(settings.timeoutMs, TimeoutStrategy.Aggressive);
  }

  async refund(request: ProviderRefundRequest): Promise<ProviderOutcome> {
    const raw = JSON.stringify({
      refundId: request.refundId,
      orderId: request.orderId,
      amountCents: request.amountCents,
      currency: request.currency,
    });
    try {
      return await this.deadline.execute(async ({ signal }) => {
        const response = await fetch(`${this.settings.url.replace(/\/$/, '')}/v1/refunds`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': request.refundId,
            'provider-signature': providerSignature(this.settings.secret, raw, Date.now() / 1000),
          },
          body: raw,
          signal,
        });
        // Read inside the deadline: a provider that stalls mid-answer is a timeout too.
        return outcomeOf(response.status, await response.text());
      });
    } catch (error) {
      if (error instanceof TaskCancelledError) {
        return {
          kind: 'retryable',
          error: `no answer within ${this.settings.timeoutMs} ms`,
          timedOut: true,
        };
      }
      return { kind: 'retryable', error: `call failed: ${describe(error)}`, timedOut: false };
    }
  }
}

function outcomeOf(status: number, text: string): ProviderOutcome {
  const summary = `provider answered ${status}: ${text.slice(0, MAX_ERROR_LENGTH)}`;
  if (status === 200) {
    const body = parse(text);
    if (typeof body?.providerRefundId === 'string' && body.providerRefundId && body.status === 'SUCCEEDED') {
      return { kind: 'paid', providerRefundId: body.providerRefundId };
    }
    // A success we cannot read: ask again; the key returns the same answer.
    return { kind: 'retryable', error: `unreadable success: ${summary}`, timedOut: false };
  }
  if (status >= 400 && status < 500 && !RETRYABLE_CLIENT_ERRORS.has(status)) {
    return { kind: 'permanent', error: summary };
  }
  return { kind: 'retryable', error: summary, timedOut: false };
}

function parse(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch hides the network cause (ECONNREFUSED, ...) one level down.
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
