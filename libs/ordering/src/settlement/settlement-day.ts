import { DomainError, DomainErrorCode } from '@eos/domain';

/** A UTC calendar day: settlement counts the orders completed in [start, end). */
export interface SettlementDay {
  /** YYYY-MM-DD */
  readonly date: string;
  readonly start: Date;
  readonly end: Date;
}

const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** Parses YYYY-MM-DD as a real calendar day (2024-02-30 is refused, not rolled over). */
export function parseSettlementDay(text: string): SettlementDay {
  const match = DATE.exec(text);
  const start = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!start || start.toISOString().slice(0, 10) !== text) {
    throw new DomainError(
      DomainErrorCode.ValidationFailed,
      `settlement date must be a day as YYYY-MM-DD, got "${text}"`,
    );
  }
  return { date: text, start, end: new Date(start.getTime() + 24 * 3_600_000) };
}
