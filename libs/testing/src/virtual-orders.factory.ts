import { randomInt } from 'node:crypto';
import { HttpResult, http } from './http.client';
import { newIdempotencyKey } from './order.factory';
import { paymentBody, postPaymentCallback, signCallback } from './payment-callback.client';

export interface VirtualOrderBody {
  businessLine: string;
  merchantId: string;
  items: { sku: string; quantity: number }[];
  details?: Record<string, unknown>;
}

/** The answer of `POST /v1/virtual-orders` and `GET /v1/orders/:id` for a virtual order. */
export interface VirtualOrderView {
  id: string;
  userId: string;
  merchantId: string;
  kind: string;
  status: string;
  version: number;
  totalCents: number;
  subtotalCents: number;
  discountCents: number;
  currency: string;
  address: unknown;
  businessLine: string;
  items: { sku: string; name: string; unitPriceCents: number; quantity: number; lineTotalCents: number }[];
  details: Record<string, unknown>;
  fulfilment: Record<string, unknown> | null;
  voucher: { code: string; status: string; redeemedAt: string | null } | null;
  membershipPeriod: { plan: string; startsAt: string; endsAt: string; state: string } | null;
}

/** A breakfast order of the demo configuration, from a demo merchant. */
export function breakfastOrderBody(merchant = randomInt(1, 1001)): VirtualOrderBody {
  return {
    businessLine: 'breakfast',
    merchantId: String(merchant),
    items: [
      { sku: 'breakfast-set-a', quantity: randomInt(1, 3) },
      { sku: 'breakfast-coffee', quantity: 1 },
    ],
    details: { pickupDate: '2030-01-15', note: 'no sugar' },
  };
}

/** A membership card order of the demo configuration (`membership-monthly` is 30 days). */
export function membershipOrderBody(
  sku = 'membership-monthly',
  merchant = randomInt(1, 1001),
): VirtualOrderBody {
  return { businessLine: 'membership', merchantId: String(merchant), items: [{ sku, quantity: 1 }] };
}

export function postVirtualOrder<T = VirtualOrderView>(
  baseUrl: string,
  token: string,
  body: unknown,
  idempotencyKey: string | null = newIdempotencyKey(),
): Promise<HttpResult<T>> {
  return http<T>('POST', `${baseUrl}/v1/virtual-orders`, {
    token,
    body,
    headers: idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey },
  });
}

export function getVirtualOrder(
  baseUrl: string,
  token: string,
  orderId: string,
): Promise<HttpResult<VirtualOrderView>> {
  return http<VirtualOrderView>('GET', `${baseUrl}/v1/orders/${orderId}`, { token });
}

/** Pays an order through the signed provider callback, as the provider would. */
export async function payThroughCallback(
  baseUrl: string,
  webhookSecret: string,
  order: { id: string; totalCents: number },
): Promise<HttpResult<{ outcome?: string }>> {
  const signed = signCallback(webhookSecret, paymentBody(order.id, order.totalCents));
  return postPaymentCallback<{ outcome?: string }>(baseUrl, signed.raw, signed.signature);
}

/** Polls the order until `ready` holds for it or `timeoutMs` passes; returns the last answer. */
export async function awaitVirtualOrder(
  baseUrl: string,
  token: string,
  orderId: string,
  ready: (order: VirtualOrderView) => boolean,
  timeoutMs = 30_000,
): Promise<VirtualOrderView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await getVirtualOrder(baseUrl, token, orderId);
    if (ready(body) || Date.now() > deadline) return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The answer of `POST /v1/vouchers/:code/redeem`, or its error. */
export interface RedemptionAnswer {
  status?: string;
  redeemedAt?: string | null;
  code?: string;
  message?: string;
}

/** Redeems a voucher through forward-order, as its owner's app would. */
export function redeemVoucher(
  baseUrl: string,
  token: string,
  code: string,
): Promise<HttpResult<RedemptionAnswer>> {
  return http<RedemptionAnswer>('POST', `${baseUrl}/v1/vouchers/${encodeURIComponent(code)}/redeem`, {
    token,
  });
}

/** One line's membership in `GET /v1/memberships/me`. */
export interface MembershipLineView {
  businessLine: string;
  active: boolean;
  endsAt: string | null;
  current: { orderId: string } | null;
  periods: { orderId: string; startsAt: string; endsAt: string; state: string; current: boolean }[];
}

export async function getMemberships(baseUrl: string, token: string): Promise<MembershipLineView[]> {
  const answer = await http<{ memberships: MembershipLineView[] }>('GET', `${baseUrl}/v1/memberships/me`, {
    token,
  });
  if (answer.status !== 200) throw new Error(`memberships answered ${answer.status}`);
  return answer.body.memberships;
}
