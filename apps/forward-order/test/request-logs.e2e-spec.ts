import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EOS_CONFIG, EosConfig, createHttpApp, mintToken } from '@eos/common';
import { checkoutBody, http, newIdempotencyKey, newUserId, untilConsuming } from '@eos/testing';
import { ForwardOrderModule } from '../src/forward-order.module';

/** A pino destination that keeps the lines: what the app would have written to stdout. */
class CapturedLines {
  readonly lines: string[] = [];

  write(line: string): void {
    this.lines.push(line);
  }

  get text(): string {
    return this.lines.join('');
  }

  records(): Record<string, unknown>[] {
    return this.text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

const CARD = '4111111111111111';
const GROUPED_CARD = '4111 1111 1111 1111';

describe('request logs (e2e: forward-order writing JSON lines, real services)', () => {
  const captured = new CapturedLines();
  let app: NestFastifyApplication;
  let url: string;
  let config: EosConfig;
  const saved = { LOG_LEVEL: process.env.LOG_LEVEL, SWEEP_INTERVAL_MS: process.env.SWEEP_INTERVAL_MS };

  beforeAll(async () => {
    // Debug: the request's headers and body are logged too, so the redaction is what keeps the
    // token and the card number out, not the quietness of the level.
    Object.assign(process.env, { LOG_LEVEL: 'debug', SWEEP_INTERVAL_MS: '0' });
    app = await createHttpApp(ForwardOrderModule, 'forward-order', { logDestination: captured });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    config = app.get<EosConfig>(EOS_CONFIG);
    await untilConsuming(url);
  });

  afterAll(async () => {
    await app?.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('carries the request id (echoed to the caller), user and order ids, and never the token or a card number', async () => {
    const userId = newUserId();
    const token = mintToken(config.JWT_SECRET, 'customer', userId);
    const requestId = `log-test-${randomBytes(8).toString('hex')}`;

    const created = await http<{ id: string }>('POST', `${url}/v1/orders`, {
      token,
      body: { ...checkoutBody(), note: `card ${GROUPED_CARD} and again ${CARD}` },
      headers: { 'idempotency-key': newIdempotencyKey(), 'x-request-id': requestId },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe(requestId);

    // Refused (unknown field): its id is generated, since the caller sent none.
    const refused = await http('POST', `${url}/v1/orders`, {
      token,
      body: { ...checkoutBody(), cardNumber: CARD },
      headers: { 'idempotency-key': newIdempotencyKey() },
    });
    expect(refused.status).toBe(400);
    const generatedId = refused.headers.get('x-request-id');
    expect(generatedId).toMatch(/^[0-9a-f-]{36}$/);

    const read = await http('GET', `${url}/v1/orders/${created.body.id}`, {
      token,
      headers: { 'x-request-id': `${requestId}-read` },
    });
    expect(read.status).toBe(200);

    // A forged id (newlines, a card number) is replaced, not echoed into the logs.
    const forged = await http('GET', `${url}/v1/orders`, { token, headers: { 'x-request-id': CARD } });
    expect(forged.headers.get('x-request-id')).not.toBe(CARD);

    // The completion line is written once the response has gone: wait for the last one.
    for (
      let tries = 0;
      !captured.text.includes(`"reqId":"${forged.headers.get('x-request-id')}"`);
      tries += 1
    ) {
      if (tries > 200) throw new Error('the request completion lines never came');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    const records = captured.records();
    for (const record of records) {
      expect(record).toEqual(
        expect.objectContaining({
          level: expect.any(String),
          time: expect.any(String),
          msg: expect.any(String),
        }),
      );
    }
    const of = (reqId: string, msg: string) =>
      records.filter((record) => record.reqId === reqId && record.msg === msg);

    expect(of(requestId, 'request completed')).toEqual([
      expect.objectContaining({
        level: 'info',
        app: 'forward-order',
        userId,
        method: 'POST',
        route: '/v1/orders',
        statusCode: 201,
      }),
    ]);
    const [received] = of(requestId, 'request received');
    expect(received).toMatchObject({
      level: 'debug',
      headers: { authorization: '[redacted]', 'x-request-id': requestId },
      body: { note: 'card ****1111 and again ****1111' },
    });
    expect(of(generatedId as string, 'request completed')).toEqual([
      expect.objectContaining({ statusCode: 400, route: '/v1/orders' }),
    ]);
    expect(of(`${requestId}-read`, 'request completed')).toEqual([
      expect.objectContaining({
        orderId: created.body.id,
        userId,
        route: '/v1/orders/:orderId',
        statusCode: 200,
      }),
    ]);

    const everything = captured.text;
    expect(everything).toContain(requestId);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(token.split('.')[2]);
    expect(everything).not.toContain(CARD);
    expect(everything).not.toContain(GROUPED_CARD);
    expect(everything).not.toContain(config.JWT_SECRET);
  });
});
