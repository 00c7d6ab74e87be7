import { DomainError, DomainErrorCode, isDomainError } from './domain.error';
import * as domain from './index';
import { ORDER_STATUSES, OrderStatus, isOrderStatus } from './order-status';

describe('DomainError', () => {
  it('is an Error carrying a stable code, a message and optional details', () => {
    const error = new DomainError(DomainErrorCode.ItemNotFound, 'item 9 is not on the menu', { itemId: '9' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DomainError');
    expect(error.code).toBe('ITEM_NOT_FOUND');
    expect(error.message).toBe('item 9 is not on the menu');
    expect(error.details).toEqual({ itemId: '9' });
    expect(new DomainError(DomainErrorCode.CartEmpty, 'empty').details).toBeUndefined();
  });

  it('recognises domain errors and nothing else', () => {
    expect(isDomainError(new DomainError(DomainErrorCode.Forbidden, 'no'))).toBe(true);
    expect(isDomainError(new Error('no'))).toBe(false);
    expect(isDomainError({ name: 'DomainError', code: 'FORBIDDEN', message: 'no' })).toBe(false);
    expect(isDomainError(undefined)).toBe(false);
    expect(isDomainError('FORBIDDEN')).toBe(false);
  });

  it('has distinct codes, each spelled as its own upper-snake-case value', () => {
    const codes = Object.values(DomainErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
  });
});

describe('order statuses', () => {
  it('lists the nine statuses: eight of delivery orders, then the virtual-only FULFILLED', () => {
    expect([...ORDER_STATUSES]).toEqual([
      'CREATED',
      'PAID',
      'ACCEPTED',
      'READY',
      'DELIVERING',
      'DELIVERED',
      'COMPLETED',
      'CANCELLED',
      'FULFILLED',
    ]);
  });

  it('recognises a status, and only a status', () => {
    for (const status of ORDER_STATUSES) expect(isOrderStatus(status)).toBe(true);
    for (const value of [
      'created',
      'Paid',
      '',
      'LOST',
      'toString',
      1,
      null,
      undefined,
      {},
      [OrderStatus.Paid],
    ]) {
      expect(isOrderStatus(value)).toBe(false);
    }
  });
});

describe('the public API of @eos/domain', () => {
  it.each([
    'DomainError',
    'DomainErrorCode',
    'isDomainError',
    'DEFAULT_CURRENCY',
    'assertCents',
    'sumCents',
    'OrderStatus',
    'ORDER_STATUSES',
    'TERMINAL_STATUSES',
    'isOrderStatus',
    'ForwardAction',
    'forwardTarget',
    'nextForwardStatus',
    'allowedForwardActions',
    'isOpenAt',
    'MAX_CART_LINES',
    'MAX_QUANTITY',
    'priceCart',
    'OrderEventType',
    'eventTypeForStatus',
    'OrderKind',
    'ORDER_KINDS',
    'isOrderKind',
    'eventTypeFor',
    'forwardTargetFor',
    'nextForwardStatusFor',
    'allowedForwardActionsFor',
    'forwardStatusesOf',
    'priceVirtualCart',
    'createVirtualOrder',
    'redeemVoucher',
    'voucherCode',
    'orderIdOfVoucherCode',
    'nextMembershipPeriod',
    'membershipPeriodState',
    'assertVirtualRefundable',
    'createOrder',
    'applyForwardAction',
    'orderEventPayload',
  ])('exports %s', (name) => {
    expect(domain).toHaveProperty(name);
    expect((domain as Record<string, unknown>)[name]).toBeDefined();
  });
});
