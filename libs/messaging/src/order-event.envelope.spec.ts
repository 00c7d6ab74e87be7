import { OrderEventType } from '@eos/domain';
import { InvalidOrderEventError, parseOrderEventEnvelope } from './order-event.envelope';

const valid = {
  eventId: '6f1c2a4e-8d0b-4c57-9a3e-2b7f0d9c1e55',
  orderId: '123456789',
  eventType: OrderEventType.Paid,
  orderVersion: 2,
  occurredAt: '2026-01-02T03:04:05.000Z',
  payload: {
    orderId: '123456789',
    userId: '42',
    merchantId: '7',
    kind: 'DELIVERY',
    status: 'PAID',
    previousStatus: 'CREATED',
    totalCents: 2000,
    currency: 'CNY',
    version: 2,
    createdAt: '2026-01-02T03:00:00.000Z',
    updatedAt: '2026-01-02T03:04:05.000Z',
  },
};

const body = (value: unknown): Buffer =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('parseOrderEventEnvelope', () => {
  it('accepts a well-formed envelope', () => {
    expect(parseOrderEventEnvelope(body(valid))).toEqual(valid);
  });

  it.each<[string, unknown]>([
    ['non-JSON', 'not json'],
    ['an array', [valid]],
    ['a missing event id', { ...valid, eventId: undefined }],
    ['an unknown event type', { ...valid, eventType: 'order.lost' }],
    ['a numeric order id', { ...valid, orderId: 123456789 }],
    ['version 0', { ...valid, orderVersion: 0 }],
    ['a bad time', { ...valid, occurredAt: 'yesterday' }],
    ['no payload', { ...valid, payload: null }],
    ['a malformed merchant id', { ...valid, payload: { ...valid.payload, merchantId: 'abc' } }],
    ['an unknown status', { ...valid, payload: { ...valid.payload, status: 'LOST' } }],
    ['fractional cents', { ...valid, payload: { ...valid.payload, totalCents: 1.5 } }],
    ['another order in the payload', { ...valid, payload: { ...valid.payload, orderId: '987' } }],
    ['another version in the payload', { ...valid, payload: { ...valid.payload, version: 3 } }],
  ])('refuses %s', (_name, value) => {
    expect(() => parseOrderEventEnvelope(body(value))).toThrow(InvalidOrderEventError);
  });
});
