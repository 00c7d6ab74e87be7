import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { EOS_CONFIG, EosConfig } from '@eos/common';
import { ShardMap, ShardRouter, defaultShardMap, parseShardMap } from '@eos/sharding';
import { MerchantOrderRepository } from '../orders/merchant-order.repository';
import { UserOrderRepository } from '../orders/user-order.repository';
import { ShardDataSources } from './shard-data-sources';

export const SHARD_MAP = Symbol('SHARD_MAP');
/** Connections per physical shard database in this app. */
export const SHARD_POOL_SIZE = Symbol('SHARD_POOL_SIZE');

export interface ShardPersistenceOptions {
  /** The configuration field that sizes the pools: each app may size its own (PG_POOL_SIZE by default). */
  readonly poolSizeKey: 'PG_POOL_SIZE' | 'REVERSE_PG_POOL_SIZE';
}

export function shardMapFrom(config: EosConfig): ShardMap {
  if (!config.EOS_SHARD_MAP) return defaultShardMap(config.POSTGRES_URL);
  try {
    return parseShardMap(config.EOS_SHARD_MAP);
  } catch (error) {
    throw new Error(`EOS_SHARD_MAP: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The user- and merchant-dimension stores: one pool per physical database, routed by the shard map. */
@Global()
@Module({
  providers: [
    { provide: SHARD_MAP, inject: [EOS_CONFIG], useFactory: shardMapFrom },
    {
      provide: SHARD_POOL_SIZE,
      inject: [EOS_CONFIG],
      useFactory: (config: EosConfig) => config.PG_POOL_SIZE,
    },
    { provide: ShardRouter, inject: [SHARD_MAP], useFactory: (map: ShardMap) => new ShardRouter(map) },
    {
      provide: ShardDataSources,
      inject: [SHARD_MAP, EOS_CONFIG, SHARD_POOL_SIZE],
      useFactory: async (map: ShardMap, config: EosConfig, poolSize: number) => {
        const sources = new ShardDataSources(map, {
          poolSize,
          statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
          connectTimeoutMs: config.PG_CONNECT_TIMEOUT_MS,
          applicationName: 'eos',
        });
        await sources.initialize();
        return sources;
      },
    },
    {
      provide: UserOrderRepository,
      inject: [ShardDataSources, ShardRouter],
      useFactory: (sources: ShardDataSources, router: ShardRouter) =>
        new UserOrderRepository(sources, router),
    },
    {
      provide: MerchantOrderRepository,
      inject: [ShardDataSources, ShardRouter],
      useFactory: (sources: ShardDataSources, router: ShardRouter) =>
        new MerchantOrderRepository(sources, router),
    },
  ],
  exports: [SHARD_MAP, ShardRouter, ShardDataSources, UserOrderRepository, MerchantOrderRepository],
})
export class ShardPersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(ShardDataSources) private readonly sources: ShardDataSources) {}

  /** The same module with its pools sized by another configuration field; its provider replaces the default. */
  static forRoot(options: ShardPersistenceOptions): DynamicModule {
    return {
      module: ShardPersistenceModule,
      providers: [
        {
          provide: SHARD_POOL_SIZE,
          inject: [EOS_CONFIG],
          useFactory: (config: EosConfig) => config[options.poolSizeKey],
        },
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sources.destroy();
  }
}
