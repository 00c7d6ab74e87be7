import { RefundCall, RefundLedger } from './refund-ledger';

const call = (overrides: Partial<RefundCall> = {}): RefundCall => ({
  refundId: '101',
  orderId: '7',
  amountCents: 1500,
  currency: 'CNY',
  ...overrides,
});

describe('the simulated provider’s books', () => {
  it('pays once per key: the same key again gets the same refund', () => {
    const ledger = new RefundLedger();
    const first = ledger.refund('101', call());
    const again = ledger.refund('101', call());
    expect(first.kind).toBe('paid');
    expect(again).toEqual(first);
    expect(ledger.paidFor('7')).toHaveLength(1);
    expect(ledger.callsFor('7')).toBe(2);
  });

  it('refuses a key reused for another body, and pays nothing for it', () => {
    const ledger = new RefundLedger();
    ledger.refund('101', call());
    expect(ledger.refund('101', call({ amountCents: 1501 }))).toEqual({ kind: 'key-reused' });
    expect(ledger.paidFor('7')).toHaveLength(1);
  });

  it('pays distinct keys separately, per order', () => {
    const ledger = new RefundLedger();
    ledger.refund('101', call());
    ledger.refund('102', call({ refundId: '102', amountCents: 200 }));
    ledger.refund('103', call({ refundId: '103', orderId: '8' }));
    expect(ledger.paidFor('7').map((refund) => refund.refundId)).toEqual(['101', '102']);
    expect(ledger.paidFor('8').map((refund) => refund.refundId)).toEqual(['103']);
    expect(ledger.paidFor('9')).toEqual([]);
  });

  it('answers injected errors without paying, then pays', () => {
    const ledger = new RefundLedger();
    ledger.injectFailures('7', 2, 'error');
    expect(ledger.refund('101', call())).toEqual({ kind: 'unavailable' });
    expect(ledger.refund('101', call())).toEqual({ kind: 'unavailable' });
    expect(ledger.paidFor('7')).toEqual([]);
    expect(ledger.refund('101', call()).kind).toBe('paid');
    expect(ledger.paidFor('7')).toHaveLength(1);
  });

  it('pays an injected timeout but withholds the answer; the retry gets that same refund', () => {
    const ledger = new RefundLedger();
    ledger.injectFailures('7', 1, 'timeout');
    const lost = ledger.refund('101', call());
    expect(lost.kind).toBe('withheld');
    const retried = ledger.refund('101', call());
    expect(retried.kind).toBe('paid');
    if (lost.kind !== 'withheld' || retried.kind !== 'paid') return;
    expect(retried.refund.providerRefundId).toBe(lost.refund.providerRefundId);
    expect(ledger.paidFor('7')).toHaveLength(1);
  });

  it('injects per order only, and a count of 0 clears the plan', () => {
    const ledger = new RefundLedger();
    ledger.injectFailures('7', 5, 'error');
    expect(ledger.refund('103', call({ refundId: '103', orderId: '8' })).kind).toBe('paid');
    ledger.injectFailures('7', 0, 'error');
    expect(ledger.refund('101', call()).kind).toBe('paid');
  });
});
