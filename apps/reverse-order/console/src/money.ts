/**
 * Integer cents as a decimal amount with its currency, "1695 CNY" -> "16.95 CNY". Integer
 * arithmetic only: a float division would print 0.1 + 0.2 style noise for some amounts.
 */
export function formatCents(cents: number, currency?: string): string {
  const sign = cents < 0 ? '-' : '';
  const whole = Math.abs(Math.trunc(cents));
  const units = Math.floor(whole / 100).toLocaleString('en-US');
  const fraction = String(whole % 100).padStart(2, '0');
  return `${sign}${units}.${fraction}${currency ? ` ${currency}` : ''}`;
}
