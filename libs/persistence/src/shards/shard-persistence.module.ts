import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { EOS_CONFIG, EosConfig } from '@eos/common';
import {
  ShardMap,
  ShardRouter,
  defaultShardMap,
  liveShardMap,
  parseShardMap,
  type VersionedShardMap,
} from '@eos/sharding';
import { Client } from 'pg';
import { MerchantOrderRepository } from '../orders/merchant-order.repository';
import { UserOrderRepository } from '../orders/user-order.repository';
import { ShardDataSources } from './shard-data-sources';
import { ShardMapFollower } from './shard-map.follower';
import { ShardMapStore } from './shard-map.store';

/** The shard map in force: a live view of ShardRouter.map (a snapshot taken from it does not follow moves). */
export const SHARD_MAP = Symbol('SHARD_MAP');
/** The live map's version and map as loaded from the catalog at start. */
export const LIVE_SHARD_MAP = Symbol('LIVE_SHARD_MAP');
/** The follower re-reads the catalog this often even without a notification. */
const SHARD_MAP_REREAD_MS = 5000;
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

/** Loads the live map from the catalog, seeding it from configuration on the very first start. */
export async function loadLiveShardMap(config: EosConfig, store: ShardMapStore): Promise<VersionedShardMap> {
  const client = new Client({
    connectionString: config.CATALOG_DATABASE_URL,
    connectionTimeoutMillis: config.PG_CONNECT_TIMEOUT_MS,
  });
  await client.connect();
  try {
    return await store.loadOrSeed(client);
  } finally {
    await client.end();
  }
}

/**
 * The user- and merchant-dimension stores: one pool per physical database, routed by the live shard
 * map (catalog table, seeded from configuration, followed at run time: see ShardMapFollower).
 */
@Global()
@Module({
  providers: [
    {
      provide: ShardMapStore,
      inject: [EOS_CONFIG],
      useFactory: (config: EosConfig) => new ShardMapStore(shardMapFrom(config)),
    },
    { provide: LIVE_SHARD_MAP, inject: [EOS_CONFIG, ShardMapStore], useFactory: loadLiveShardMap },
    // Read per call, it answers from the map in force (see liveShardMap).
    { provide: SHARD_MAP, inject: [ShardRouter], useFactory: liveShardMap },
    {
      provide: SHARD_POOL_SIZE,
      inject: [EOS_CONFIG],
      useFactory: (config: EosConfig) => config.PG_POOL_SIZE,
    },
    {
      provide: ShardRouter,
      inject: [LIVE_SHARD_MAP],
      useFactory: (live: VersionedShardMap) => new ShardRouter(live.map),
    },
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
      provide: ShardMapFollower,
      inject: [EOS_CONFIG, ShardMapStore, LIVE_SHARD_MAP, ShardRouter, ShardDataSources],
      useFactory: async (
        config: EosConfig,
        store: ShardMapStore,
        live: VersionedShardMap,
        router: ShardRouter,
        sources: ShardDataSources,
      ) => {
        const follower = new ShardMapFollower({
          catalogUrl: config.CATALOG_DATABASE_URL,
          store,
          router,
          sources: [sources],
          rereadMs: SHARD_MAP_REREAD_MS,
        });
        await follower.start(live);
        return follower;
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
  exports: [
    SHARD_MAP,
    ShardRouter,
    ShardDataSources,
    ShardMapFollower,
    UserOrderRepository,
    MerchantOrderRepository,
  ],
})
export class ShardPersistenceModule implements OnApplicationShutdown {
  constructor(
    @Inject(ShardDataSources) private readonly sources: ShardDataSources,
    @Inject(ShardMapFollower) private readonly follower: ShardMapFollower,
  ) {}

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
    await this.follower.stop();
    await this.sources.destroy();
  }
}
