import { randomBytes } from 'node:crypto';
import { signPaymentCallback } from '@eos/ordering';
import { HttpResult, http } from './http.client';

export interface PaymentCallbackBody {
  notificationId: string;
  orderId: string;
  amountCents: number;
  status: 'SUCCEEDED' | 'FAILED';
  paidAt: string | null;
}

export function newNotificationId(): string {
  return `ntf-${randomBytes(10).toString('hex')}`;
}

/** A successful payment of `amountCents` for the order, as the provider would send it. */
export function paymentBody(orderId: string, amountCents: number): PaymentCallbackBody {
  return {
    notificationId: newNotificationId(),
    orderId,
    amountCents,
    status: 'SUCCEEDED',
    paidAt: new Date().toISOString(),
  };
}

export interface SignedCallback {
  readonly raw: string;
  readonly signature: string;
}

/** Serialises and signs a callback body; `atSeconds` defaults to now. */
export function signCallback(secret: string, body: unknown, atSeconds = Date.now() / 1000): SignedCallback {
  const raw = JSON.stringify(body);
  return { raw, signature: signPaymentCallback(secret, raw, atSeconds) };
}

/** Posts a callback to forward-order; the signature header is omitted when `signature` is null. */
export function postPaymentCallback<T = unknown>(
  baseUrl: string,
  raw: string,
  signature: string | null,
): Promise<HttpResult<T>> {
  return http<T>('POST', `${baseUrl}/v1/payments/callback`, {
    rawBody: raw,
    headers: signature === null ? {} : { 'eos-signature': signature },
  });
}
