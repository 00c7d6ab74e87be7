import { Counter, register } from 'prom-client';

function counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
  const existing = register.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames });
}

/** Fulfilment attempts by business line, trigger (event, sweep) and outcome (fulfilled, not_due, failed). */
export const virtualFulfilments = counter(
  'eos_virtual_fulfilments_total',
  'Virtual order fulfilments by business line, trigger and outcome',
  ['line', 'trigger', 'outcome'],
);

/** Voucher redemptions by outcome (redeemed, or the refusal code). */
export const voucherRedemptions = counter('eos_voucher_redemptions_total', 'Voucher redemptions by outcome', [
  'outcome',
]);
