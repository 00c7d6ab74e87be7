import type { EosConfig } from '@eos/common';
import type { ShardRouter } from '@eos/sharding';
import { CheckoutWriteFactory } from './checkout-write.factory';
import { loadDemoMenus } from './demo-menus';
import { LeasedOrderIds } from './leased-order-ids';
import { SqlCeiling } from './sql-ceiling';

/** A ceiling ready to run, and what must be given back when it is done. */
export interface CheckoutCeiling {
  readonly ceiling: SqlCeiling;
  /** The id-generator worker its order ids come from (leased, so never the app's). */
  readonly workerNumber: number;
  readonly close: () => Promise<void>;
}

/**
 * The checkout statement straight from pg, configured like the app: the demo menus for pricing,
 * order ids from a leased id-generator worker, and pools sized by PG_POOL_SIZE with the app's
 * timeouts.
 */
export async function openCheckoutCeiling(config: EosConfig, router: ShardRouter): Promise<CheckoutCeiling> {
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
    workerNumber: ids.worker,
    close: async () => {
      try {
        await ceiling.close();
      } finally {
        await ids.release();
      }
    },
  };
}
