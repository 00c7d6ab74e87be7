import { DomainError, DomainErrorCode } from './domain.error';

/** Money is integer cents in one currency: never floats, so sums are exact. */
export const DEFAULT_CURRENCY = 'CNY';

export function assertCents(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new DomainError(
      DomainErrorCode.ValidationFailed,
      `${what} must be a non-negative integer of cents`,
    );
  }
  return value;
}

/** Sums amounts of cents; each must itself be cents, so a fraction or a negative never slips into a total. */
export function sumCents(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += assertCents(value, 'an amount');
  if (!Number.isSafeInteger(total)) {
    throw new DomainError(DomainErrorCode.ValidationFailed, 'amount exceeds the representable range');
  }
  return total;
}
