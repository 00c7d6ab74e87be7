import { checkoutRequestDigest } from '../orders/checkout-request.digest';
import { virtualOrderRequestDigest } from './virtual-order-request.digest';

const REQUEST = {
  businessLine: 'breakfast',
  merchantId: '7',
  items: [{ sku: 'set-a', quantity: 2 }],
  details: { pickupDate: '2030-01-15', extra: { b: 1, a: [2, { d: 1, c: 2 }] } },
};

describe('virtualOrderRequestDigest', () => {
  it('is the same for the same request whatever the key order of its details', () => {
    expect(
      virtualOrderRequestDigest({
        ...REQUEST,
        details: { extra: { a: [2, { c: 2, d: 1 }], b: 1 }, pickupDate: '2030-01-15' },
      }),
    ).toBe(virtualOrderRequestDigest(REQUEST));
  });

  it('treats absent details as empty ones', () => {
    const { details: _details, ...bare } = REQUEST;
    expect(virtualOrderRequestDigest(bare)).toBe(virtualOrderRequestDigest({ ...bare, details: {} }));
  });

  it.each([
    ['the line', { businessLine: 'membership' }],
    ['the seller', { merchantId: '8' }],
    ['a quantity', { items: [{ sku: 'set-a', quantity: 3 }] }],
    [
      'the line order',
      {
        items: [
          { sku: 'set-b', quantity: 1 },
          { sku: 'set-a', quantity: 2 },
        ],
      },
    ],
    ['a detail', { details: { pickupDate: '2030-01-16' } }],
  ])('changes with %s', (_name, change) => {
    expect(virtualOrderRequestDigest({ ...REQUEST, ...change })).not.toBe(virtualOrderRequestDigest(REQUEST));
  });

  it('never equals a delivery checkout digest', () => {
    expect(virtualOrderRequestDigest(REQUEST)).not.toBe(
      checkoutRequestDigest({
        merchantId: '7',
        items: [{ itemId: '701', quantity: 2 }],
        address: { line1: 'x', city: 'y', phone: '13800000000' },
      }),
    );
  });
});
