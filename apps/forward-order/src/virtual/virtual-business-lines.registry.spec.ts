import 'reflect-metadata';
import type { ModuleRef } from '@nestjs/core';
import { DomainError } from '@eos/domain';
import { VirtualBusinessLine } from './virtual-business-line';
import { VIRTUAL_BUSINESS_LINE_CONFIG } from './virtual-business-lines.config';
import { VirtualBusinessLines, assertBusinessLines } from './virtual-business-lines.registry';

const [BREAKFAST, MEMBERSHIP] = VIRTUAL_BUSINESS_LINE_CONFIG;

/** Builds the registry with handler classes instantiated bare (the real module injects their repositories). */
async function registry(lines: readonly VirtualBusinessLine[]): Promise<VirtualBusinessLines> {
  const moduleRef = {
    create: (type: new () => unknown) => Promise.resolve(new type()),
  } as unknown as ModuleRef;
  const registered = new VirtualBusinessLines(lines, moduleRef);
  await registered.onModuleInit();
  return registered;
}

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error: unknown) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

describe('the configured virtual business lines', () => {
  it('are breakfast and membership, and pass the start-up check', () => {
    expect(VIRTUAL_BUSINESS_LINE_CONFIG.map((line) => line.id)).toEqual(['breakfast', 'membership']);
    expect(() => assertBusinessLines(VIRTUAL_BUSINESS_LINE_CONFIG)).not.toThrow();
  });

  it('give every membership product a period, and no breakfast product one', () => {
    expect(MEMBERSHIP.products.every((product) => (product.periodDays ?? 0) > 0)).toBe(true);
    expect(BREAKFAST.products.every((product) => product.periodDays === undefined)).toBe(true);
  });
});

describe('assertBusinessLines', () => {
  it.each<[string, Partial<VirtualBusinessLine>]>([
    ['a malformed id', { id: 'Breakfast' }],
    ['no products', { products: [] }],
    ['a repeated sku', { products: [BREAKFAST.products[0], BREAKFAST.products[0]] }],
    ['a price of no cents', { products: [{ sku: 'x', name: 'X', unitPriceCents: 0 }] }],
    ['a fractional price', { products: [{ sku: 'x', name: 'X', unitPriceCents: 9.5 }] }],
    ['a period of no days', { products: [{ sku: 'x', name: 'X', unitPriceCents: 100, periodDays: 0 }] }],
    ['a schema version of 0', { details: { schema: BREAKFAST.details.schema, version: 0 } }],
  ])('refuses %s, naming the line', (_name, change) => {
    expect(() => assertBusinessLines([{ ...BREAKFAST, ...change }])).toThrow(/virtual business line/);
  });

  it('refuses a line configured twice', () => {
    expect(() => assertBusinessLines([BREAKFAST, BREAKFAST])).toThrow('configured twice');
  });
});

describe('VirtualBusinessLines', () => {
  it('finds a configured line and refuses another with BUSINESS_LINE_NOT_FOUND', async () => {
    const lines = await registry(VIRTUAL_BUSINESS_LINE_CONFIG);
    expect(lines.get('breakfast').catalogue.products).toBe(BREAKFAST.products);
    expect(lines.find('laundry')).toBeUndefined();
    const error = refusal(() => lines.get('laundry'));
    expect([error.code, error.details]).toEqual(['BUSINESS_LINE_NOT_FOUND', { businessLine: 'laundry' }]);
  });

  it("checks details against the line's schema: unknown fields and bad values refused, absent details are {}", async () => {
    const lines = await registry(VIRTUAL_BUSINESS_LINE_CONFIG);
    const breakfast = lines.get('breakfast');
    expect(lines.validateDetails(breakfast, undefined)).toEqual({});
    expect(lines.validateDetails(breakfast, { pickupDate: '2030-02-28' })).toEqual({
      pickupDate: '2030-02-28',
    });
    const unknown = refusal(() => lines.validateDetails(breakfast, { table: 4 }));
    expect([unknown.code, unknown.message]).toEqual([
      'VALIDATION_FAILED',
      'details.table: property table should not exist',
    ]);
    const bad = refusal(() => lines.validateDetails(breakfast, { pickupDate: '2030-13-01' }));
    expect(bad.message).toBe('details.pickupDate must be a date YYYY-MM-DD');
    const membership = lines.get('membership');
    expect(refusal(() => lines.validateDetails(membership, { referralCode: 'lower' })).code).toBe(
      'VALIDATION_FAILED',
    );
  });
});
