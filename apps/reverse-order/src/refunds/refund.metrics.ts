import { Counter, register } from 'prom-client';

// Registered once per process: two apps in one process (tests) share the metric.
function counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
  return (
    (register.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames })
  );
}

/** The provider's answer to one refund call: succeeded, error (retryable), timeout, refused (permanent). */
export type RefundAttemptOutcome = 'succeeded' | 'error' | 'timeout' | 'refused';

export const refundAttempts = counter(
  'eos_refund_attempts_total',
  'Refund calls to the payment provider, by outcome (succeeded, error, timeout, refused)',
  ['outcome'],
);

/** Refunds that reached an end: succeeded, or failed (waiting for staff). */
export const refundsSettled = counter(
  'eos_refunds_settled_total',
  'Refunds that reached SUCCEEDED or FAILED, by status',
  ['status'],
);

/** Refunds created from refunds due on the forward side, by path (event, catch_up). */
export const refundsTaken = counter(
  'eos_refund_intake_total',
  'Refunds created from refunds that became due on the forward side, by path (event, catch_up)',
  ['path'],
);

export const refundStaffRetries = counter(
  'eos_refund_staff_retries_total',
  'FAILED refunds put back to PENDING by staff',
  [],
);
