import { DataSource } from 'typeorm';

export const DEMO_MERCHANTS = 1000;
export const DEMO_ITEMS_PER_MERCHANT = 30;

/** Demo item ids are merchantId * 100 + n, n = 1..30, so a client can name one without looking. */
export function demoItemId(merchantId: number, n: number): string {
  return String(merchantId * 100 + n);
}

/**
 * Loads the demo catalog: merchants 1..1000, open around the clock, 30 available items each,
 * with a spend-50-save-5 rule. Idempotent: existing rows are left as they are.
 */
export async function seedDemoCatalog(dataSource: DataSource): Promise<void> {
  await dataSource.query(
    `INSERT INTO catalog.merchants
       (id, name, opens_at_minute, closes_at_minute, delivery_fee_cents, discount_threshold_cents, discount_cents, currency, version)
     SELECT m, 'Demo Kitchen ' || m, 0, 1440, 300 + (m % 5) * 100, 5000, 500, 'CNY', 1
     FROM generate_series(1, $1::int) AS m
     ON CONFLICT (id) DO NOTHING`,
    [DEMO_MERCHANTS],
  );
  await dataSource.query(
    `INSERT INTO catalog.menu_items (id, merchant_id, name, price_cents, packaging_fee_cents, available)
     SELECT m * 100 + n, m, 'Dish ' || n || ' of kitchen ' || m, 800 + ((m * 31 + n * 17) % 40) * 100, 50 + (n % 3) * 50, true
     FROM generate_series(1, $1::int) AS m, generate_series(1, $2::int) AS n
     ON CONFLICT (id) DO NOTHING`,
    [DEMO_MERCHANTS, DEMO_ITEMS_PER_MERCHANT],
  );
}
