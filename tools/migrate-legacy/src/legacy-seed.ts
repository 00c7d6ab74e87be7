import { Client } from 'pg';
import { LEGACY_SCHEMA_SQL } from './legacy-schema.sql';

export interface SeedOptions {
  readonly orders: number;
  /** Customers are user ids userBase+1 .. userBase+users. */
  readonly users: number;
  readonly userBase: number;
  /** Merchants are merchantBase+1 .. merchantBase+merchants (by default the demo catalog's 1..1000). */
  readonly merchants: number;
  readonly merchantBase?: number;
}

function databaseName(url: string): string {
  const name = new URL(url).pathname.replace(/^\//, '');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new Error(`unsupported database name "${name}" in ${url}`);
  return name;
}

/** Creates the legacy database (if missing) and the sample schema's tables. */
export async function ensureLegacySchema(legacyUrl: string): Promise<void> {
  const admin = new URL(legacyUrl);
  admin.pathname = '/postgres';
  const name = databaseName(legacyUrl);
  const server = new Client({ connectionString: admin.toString() });
  await server.connect();
  try {
    const found = await server.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!found.rowCount) {
      await server.query(`CREATE DATABASE "${name}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error;
      });
    }
  } finally {
    await server.end();
  }
  const client = new Client({ connectionString: legacyUrl });
  await client.connect();
  try {
    await client.query(LEGACY_SCHEMA_SQL);
  } finally {
    await client.end();
  }
}

/*
 * Realistic legacy history generated inside Postgres (one INSERT ... SELECT per table, no rows
 * through the client): orders over the past year, mostly finished, some cancelled or refunded,
 * the newest still open; 1 to 4 items each; money consistent (total = subtotal + fees - discount).
 * Ids are taken from the sequence first so that items can join their order.
 */
const SEED_SQL = `
WITH spec AS MATERIALIZED (
  SELECT nextval('orders_id_seq') AS id,
    $2::bigint + 1 + floor(random() * $3)::bigint AS user_id,
    $5::bigint + 1 + floor(random() * $4)::bigint AS merchant_id,
    (ARRAY['FINISHED','FINISHED','FINISHED','FINISHED','FINISHED','FINISHED','SETTLED','SETTLED','SETTLED',
           'SETTLED','CANCELED','CANCELED','REFUNDED','UNPAID','PAID','CONFIRMED','SHIPPING','DELIVERED',
           'FINISHED','SETTLED'])[1 + floor(random() * 20)::int] AS status,
    1 + floor(random() * 4)::int AS item_count,
    (floor(random() * 20) * 10)::bigint AS packaging_fee_cents,
    (300 + floor(random() * 50) * 10)::bigint AS delivery_fee_cents,
    (CASE WHEN random() < 0.3 THEN floor(random() * 30) * 10 ELSE 0 END)::bigint AS discount_cents,
    now() - random() * interval '365 days' AS created_at,
    (ARRAY['Shanghai','Beijing','Hangzhou','Shenzhen','Chengdu','Wuhan'])[1 + floor(random() * 6)::int] AS city,
    g
  FROM generate_series(1, $1::int) AS g
), lines AS MATERIALIZED (
  SELECT s.id AS order_id, k,
    (s.merchant_id * 100 + 1 + floor(random() * 30))::bigint AS item_id,
    (ARRAY['Beef noodles','Fried rice','Dumplings','Mapo tofu','Kung pao chicken','Spring rolls','Wonton soup',
           'Milk tea','Baozi','Congee','Hot pot set','Roast duck'])[1 + floor(random() * 12)::int] AS name,
    (500 + floor(random() * 450) * 10)::bigint AS unit_price_cents,
    1 + floor(random() * 3)::int AS quantity
  FROM spec s CROSS JOIN LATERAL generate_series(1, s.item_count) AS k
), sums AS (
  SELECT order_id, sum(unit_price_cents * quantity)::bigint AS subtotal_cents FROM lines GROUP BY order_id
), created AS (
  INSERT INTO orders (id, user_id, merchant_id, status, subtotal_cents, packaging_fee_cents, delivery_fee_cents,
    discount_cents, total_cents, address, city, phone, remark, paid_at, created_at, updated_at)
  SELECT s.id, s.user_id, s.merchant_id, s.status, m.subtotal_cents, s.packaging_fee_cents, s.delivery_fee_cents,
    s.discount_cents, m.subtotal_cents + s.packaging_fee_cents + s.delivery_fee_cents - s.discount_cents,
    (1 + s.g % 999) || ' ' || (ARRAY['Huaihai Road','Nanjing Road','Xueyuan Road','Binjiang Avenue'])[1 + s.g % 4],
    s.city, '138' || lpad((s.user_id % 100000000)::text, 8, '0'),
    CASE WHEN s.g % 7 = 0 THEN 'no chilli, please' END,
    CASE WHEN s.status IN ('UNPAID') OR (s.status = 'CANCELED' AND s.g % 2 = 0) THEN NULL
         ELSE s.created_at + interval '1 minute' END,
    s.created_at, s.created_at + interval '40 minutes'
  FROM spec s JOIN sums m ON m.order_id = s.id
  RETURNING id
)
INSERT INTO order_items (order_id, item_id, name, unit_price_cents, quantity)
SELECT l.order_id, l.item_id, l.name, l.unit_price_cents, l.quantity
FROM lines l JOIN created c ON c.id = l.order_id
ORDER BY l.order_id, l.k`;

/** Adds `orders` generated legacy orders; returns how many orders and items were written. */
export async function seedLegacyOrders(
  legacyUrl: string,
  options: SeedOptions,
): Promise<{ orders: number; items: number }> {
  await ensureLegacySchema(legacyUrl);
  const client = new Client({ connectionString: legacyUrl });
  await client.connect();
  try {
    const result = await client.query(SEED_SQL, [
      options.orders,
      options.userBase,
      options.users,
      options.merchants,
      options.merchantBase ?? 0,
    ]);
    return { orders: options.orders, items: result.rowCount ?? 0 };
  } finally {
    await client.end();
  }
}
