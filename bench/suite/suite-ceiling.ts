import { CheckoutWriteFactory } from '../checkout/checkout-write.factory';
import { loadDemoMenus } from '../checkout/demo-menus';
import { LeasedOrderIds } from '../checkout/leased-order-ids';
import { SqlCeiling } from '../checkout/sql-ceiling';
import type { SuiteContext } from './suite-context';

/** The ceiling of one scenario, and what must be given back when it is done. */
export interface SuiteCeiling {
  readonly ceiling: SqlCeiling;
  readonly close: () => Promise<void>;
}

/**
 * The checkout statement straight from pg, configured like the app: the demo menus for pricing,
 * order ids from a leased id-generator worker (so they never collide with the app's), and pools
 * sized by PG_POOL_SIZE with the app's timeouts.
 */
export async function openSuiteCeiling(context: SuiteContext): Promise<SuiteCeiling> {
  const { config, router } = context;
  const menus = await loadDemoMenus(config.CATALOG_DATABASE_URL);
  const ids = await LeasedOrderIds.acquire(config.REDIS_URL);
  const writes = new CheckoutWriteFactory(menus, ids, router, config.PAYMENT_WINDOW_MINUTES * 60_000);
  const ceiling = SqlCeiling.open(router, writes, {
    poolSize: config.PG_POOL_SIZE,
    statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: config.PG_CONNECT_TIMEOUT_MS,
  });
  return {
    ceiling,
    close: async () => {
      try {
        await ceiling.close();
      } finally {
        await ids.release();
      }
    },
  };
}
