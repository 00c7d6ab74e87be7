import { DomainError } from '@eos/domain';
import { parseSettlementDay } from './settlement-day';
import { SETTLEMENT_CSV_HEADER, mergeTotals, settlementCsv } from './settlement-report';

describe('settlement day', () => {
  it('is the UTC day [00:00, next 00:00)', () => {
    const day = parseSettlementDay('2024-02-29');
    expect(day.start.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(day.end.toISOString()).toBe('2024-03-01T00:00:00.000Z');
  });

  it.each(['2023-02-29', '2024-13-01', '2024-1-01', '20240101', '2024-01-01T00:00:00Z', '', 'today'])(
    'refuses %j',
    (text) => {
      expect(() => parseSettlementDay(text)).toThrow(DomainError);
    },
  );
});

describe('settlement lines', () => {
  const part = (
    merchantId: string,
    currency: string,
    orders: number,
    total: string,
    merchantRefund = '0',
  ) => ({
    merchantId,
    currency,
    orders,
    subtotalCents: total,
    packagingFeeCents: '10',
    deliveryFeeCents: '20',
    discountCents: '5',
    totalCents: total,
    merchantRefundCents: merchantRefund,
  });

  it('adds up each merchant across databases, exactly beyond 2^53, sorted by numeric merchant id', () => {
    const big = '9007199254740993';
    const lines = mergeTotals([
      part('10', 'CNY', 2, big),
      part('9', 'CNY', 1, '100'),
      part('10', 'CNY', 3, big),
      part('10', 'USD', 1, '7'),
    ]);
    expect(lines.map((line) => [line.merchantId, line.currency, line.orders])).toEqual([
      ['9', 'CNY', 1],
      ['10', 'CNY', 5],
      ['10', 'USD', 1],
    ]);
    expect(lines[1].totalCents).toBe(18014398509481986n);
    expect(lines[1].packagingFeeCents).toBe(20n);
  });

  it('writes the header, then one line per merchant and currency', () => {
    const csv = settlementCsv(mergeTotals([part('3', 'CNY', 2, '1234')]));
    expect(csv).toBe(`${SETTLEMENT_CSV_HEADER}\n3,2,1234,10,20,5,1234,CNY,0,1234\n`);
    expect(SETTLEMENT_CSV_HEADER).toBe(
      'merchant_id,orders,subtotal_cents,packaging_fee_cents,delivery_fee_cents,discount_cents,total_cents,currency,' +
        'merchant_refund_cents,payable_cents',
    );
    expect(settlementCsv([])).toBe(`${SETTLEMENT_CSV_HEADER}\n`);
  });

  it('subtracts the refunds the merchant bears: payable = total - merchant refunds, summed across databases', () => {
    const big = '9007199254740993';
    const lines = mergeTotals([
      part('4', 'CNY', 2, big, '1500'),
      part('4', 'CNY', 1, '100', '7'),
      part('5', 'CNY', 1, '900'),
    ]);
    expect(
      lines.map((line) => [line.merchantId, line.totalCents, line.merchantRefundCents, line.payableCents]),
    ).toEqual([
      ['4', 9007199254741093n, 1507n, 9007199254739586n],
      ['5', 900n, 0n, 900n],
    ]);
    expect(settlementCsv(lines).split('\n')[2]).toBe('5,1,900,10,20,5,900,CNY,0,900');
  });
});
