import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { EOS_CONFIG, EosConfig } from '@eos/common';
import { Pool } from 'pg';
import { UserOrderRepository } from '../orders/user-order.repository';
import { pgPoolExtra } from '../shards/shard-data-sources';
import { LegacyOrderLookup } from './legacy-order.lookup';

export const LEGACY_POOLS = Symbol('LEGACY_POOLS');

interface LegacyPools {
  readonly catalog: Pool;
  readonly legacy: Pool;
}

/**
 * Old-id lookups for an app. pg pools connect lazily, so an installation that never had a legacy
 * database starts as before; only a request for an old id touches it (and gets its error).
 */
@Global()
@Module({
  providers: [
    {
      provide: LEGACY_POOLS,
      inject: [EOS_CONFIG],
      useFactory: (config: EosConfig): LegacyPools => {
        const options = {
          poolSize: 2,
          statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
          connectTimeoutMs: config.PG_CONNECT_TIMEOUT_MS,
        };
        return {
          catalog: new Pool({
            connectionString: config.CATALOG_DATABASE_URL,
            ...pgPoolExtra({ ...options, applicationName: 'eos-legacy-ids' }),
          }),
          legacy: new Pool({
            connectionString: config.LEGACY_DATABASE_URL,
            ...pgPoolExtra({ ...options, applicationName: 'eos-legacy-orders' }),
          }),
        };
      },
    },
    {
      provide: LegacyOrderLookup,
      inject: [LEGACY_POOLS, UserOrderRepository],
      useFactory: (pools: LegacyPools, orders: UserOrderRepository) =>
        new LegacyOrderLookup(pools.catalog, pools.legacy, orders),
    },
  ],
  exports: [LegacyOrderLookup],
})
export class LegacyOrderPersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(LEGACY_POOLS) private readonly pools: LegacyPools) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.pools.catalog.end(), this.pools.legacy.end()]);
  }
}
