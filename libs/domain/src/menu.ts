/** What the catalog says about a merchant and its items at one version: the input to pricing. */
export interface MenuItem {
  readonly id: string;
  readonly name: string;
  readonly priceCents: number;
  readonly packagingFeeCents: number;
  readonly available: boolean;
}

/** Spend at least `thresholdCents` of subtotal and save `discountCents`. */
export interface SpendAndSaveRule {
  readonly thresholdCents: number;
  readonly discountCents: number;
}

export interface Merchant {
  readonly id: string;
  readonly name: string;
  /**
   * Opening window in minutes after midnight UTC; `closesAtMinute` may be below `opensAtMinute`
   * (past midnight), and a window from a minute to the same minute of the day (0 to 1440) is 24h.
   */
  readonly opensAtMinute: number;
  readonly closesAtMinute: number;
  readonly deliveryFeeCents: number;
  readonly discountRule: SpendAndSaveRule | null;
  readonly currency: string;
}

export interface Menu {
  readonly merchant: Merchant;
  readonly items: readonly MenuItem[];
  /** Grows with every change of the merchant or any of its items; keys the cache. */
  readonly version: number;
}

const MINUTES_PER_DAY = 24 * 60;

const minuteOfDay = (minute: number): number =>
  ((minute % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;

/**
 * Whether the merchant takes orders at `at` (UTC). The window is half-open: open from
 * `opensAtMinute` inclusive to `closesAtMinute` exclusive. A window that ends on the same minute
 * of the day as it starts (0 to 1440, or 0 to 0) is open around the clock; a close past 1440 is read
 * as the next day.
 */
export function isOpenAt(merchant: Merchant, at: Date): boolean {
  const { opensAtMinute, closesAtMinute } = merchant;
  if (closesAtMinute - opensAtMinute >= MINUTES_PER_DAY) return true;
  const open = minuteOfDay(opensAtMinute);
  const close = minuteOfDay(closesAtMinute);
  if (open === close) return true;
  const minute = at.getUTCHours() * 60 + at.getUTCMinutes();
  return open < close ? minute >= open && minute < close : minute >= open || minute < close;
}
