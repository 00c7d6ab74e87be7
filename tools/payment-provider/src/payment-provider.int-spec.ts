import { randomInt } from 'node:crypto';
import { RunningPaymentProvider, startPaymentProvider } from './payment-provider.server';
import { signProviderRequest } from './provider-signature';

const SECRET = 'provider-secret-for-int-tests';

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

describe('the simulated payment provider over HTTP', () => {
  let provider: RunningPaymentProvider;

  beforeAll(async () => {
    provider = await startPaymentProvider({ port: 0, secret: SECRET });
  });

  afterAll(async () => {
    await provider.close();
  });

  const newOrderId = (): string => String(randomInt(1, 2 ** 47));

  function refundBody(orderId: string, refundId = String(randomInt(1, 2 ** 47)), amountCents = 1234) {
    return { refundId, orderId, amountCents, currency: 'CNY' };
  }

  async function call(
    body: unknown,
    options: { key?: string | null; signature?: string | null; at?: number; signal?: AbortSignal } = {},
  ): Promise<Answer> {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const key = options.key === undefined ? (body as { refundId?: string }).refundId : options.key;
    if (key) headers['idempotency-key'] = key;
    const signature =
      options.signature === undefined
        ? signProviderRequest(SECRET, raw, options.at ?? Date.now() / 1000)
        : options.signature;
    if (signature !== null) headers['provider-signature'] = signature;
    const response = await fetch(`${provider.url}/v1/refunds`, {
      method: 'POST',
      headers,
      body: raw,
      signal: options.signal,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function control(method: string, path: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${provider.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('pays a signed refund and answers the same key with the first answer, paying once', async () => {
    const orderId = newOrderId();
    const body = refundBody(orderId);
    const first = await call(body);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ providerRefundId: expect.stringMatching(/^re_/), status: 'SUCCEEDED' });
    const again = await call(body);
    expect(again).toEqual(first);
    const record = await control('GET', `/control/refunds?orderId=${orderId}`);
    expect(record.body).toMatchObject({ orderId, calls: 2 });
    expect(record.body.refunds).toEqual([
      expect.objectContaining({
        ...body,
        providerRefundId: first.body.providerRefundId,
        idempotencyKey: body.refundId,
      }),
    ]);
  });

  it('refuses the same key with another body (422) and pays nothing more', async () => {
    const orderId = newOrderId();
    const body = refundBody(orderId);
    await call(body);
    const reused = await call({ ...body, amountCents: body.amountCents + 1 }, { key: body.refundId });
    expect([reused.status, reused.body.error]).toEqual([422, 'idempotency_key_reused']);
    expect((await control('GET', `/control/refunds?orderId=${orderId}`)).body.refunds).toHaveLength(1);
  });

  it('refuses unsigned, wrongly signed and stale calls with 401, paying nothing', async () => {
    const orderId = newOrderId();
    const body = refundBody(orderId);
    const raw = JSON.stringify(body);
    const answers = [
      await call(body, { signature: null }),
      await call(body, { signature: signProviderRequest('not-the-provider-secret', raw, Date.now() / 1000) }),
      await call(body, { signature: signProviderRequest(SECRET, `${raw} `, Date.now() / 1000) }),
      await call(body, { at: Date.now() / 1000 - 301 }),
    ];
    expect(answers.map((answer) => [answer.status, answer.body.error])).toEqual([
      [401, 'signature_invalid'],
      [401, 'signature_invalid'],
      [401, 'signature_invalid'],
      [401, 'signature_stale'],
    ]);
    expect((await control('GET', `/control/refunds?orderId=${orderId}`)).body).toMatchObject({
      calls: 0,
      refunds: [],
    });
  });

  it.each([
    ['not JSON', '{"refundId":'],
    ['an array', '[]'],
    ['a missing amount', { refundId: '1', orderId: '2', currency: 'CNY' }],
    ['a zero amount', { refundId: '1', orderId: '2', amountCents: 0, currency: 'CNY' }],
    ['a fractional amount', { refundId: '1', orderId: '2', amountCents: 1.5, currency: 'CNY' }],
    ['a numeric order id', { refundId: '1', orderId: 2, amountCents: 10, currency: 'CNY' }],
    ['a bad currency', { refundId: '1', orderId: '2', amountCents: 10, currency: 'yuan' }],
    ['an unknown field', { refundId: '1', orderId: '2', amountCents: 10, currency: 'CNY', extra: true }],
  ])('answers 400 for a signed body with %s', async (_what, body) => {
    const answer = await call(body, { key: 'key-for-malformed' });
    expect([answer.status, answer.body.error]).toEqual([400, 'malformed_request']);
  });

  it('answers 400 without an Idempotency-Key', async () => {
    const answer = await call(refundBody(newOrderId()), { key: null });
    expect([answer.status, answer.body.error]).toEqual([400, 'malformed_request']);
  });

  it('fails the next calls of an order on demand (503), then pays', async () => {
    const orderId = newOrderId();
    const other = refundBody(newOrderId());
    expect((await control('POST', '/control/failures', { orderId, count: 2, mode: 'error' })).status).toBe(
      200,
    );
    const body = refundBody(orderId);
    expect((await call(body)).status).toBe(503);
    expect((await call(other)).status).toBe(200);
    expect((await call(body)).status).toBe(503);
    expect((await call(body)).status).toBe(200);
    expect((await control('GET', `/control/refunds?orderId=${orderId}`)).body).toMatchObject({ calls: 3 });
  });

  it('pays an injected timeout without answering; the retry under the same key gets that refund', async () => {
    const orderId = newOrderId();
    await control('POST', '/control/failures', { orderId, count: 1, mode: 'timeout' });
    const body = refundBody(orderId);
    await expect(call(body, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    const record = await control('GET', `/control/refunds?orderId=${orderId}`);
    expect(record.body.refunds).toHaveLength(1);
    const retried = await call(body);
    expect(retried.status).toBe(200);
    expect(retried.body.providerRefundId).toBe(
      (record.body.refunds as { providerRefundId: string }[])[0].providerRefundId,
    );
    expect((await control('GET', `/control/refunds?orderId=${orderId}`)).body.refunds).toHaveLength(1);
  });

  it('refuses malformed control calls and unknown routes', async () => {
    expect(
      (await control('POST', '/control/failures', { orderId: '1', count: -1, mode: 'error' })).status,
    ).toBe(400);
    expect(
      (await control('POST', '/control/failures', { orderId: '1', count: 1, mode: 'slow' })).status,
    ).toBe(400);
    expect((await control('GET', '/control/refunds?orderId=abc')).status).toBe(400);
    expect((await control('GET', '/v1/nothing')).status).toBe(404);
  });
});
