import { Module } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { EOS_CONFIG, EosConfig } from '@eos/common';
import { DataSource } from 'typeorm';
import { pgPoolExtra } from '../shards/shard-data-sources';
import { CatalogRepository } from './catalog.repository';
import { MenuItemEntity } from './menu-item.entity';
import { MerchantEntity } from './merchant.entity';

export const CATALOG_CONNECTION = 'catalog';

/** The catalog database through @nestjs/typeorm; a small pool, since reads mostly hit the cache. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      name: CATALOG_CONNECTION,
      inject: [EOS_CONFIG],
      useFactory: (config: EosConfig) => ({
        // Repeated here: @nestjs/typeorm looks the data source up by the factory's name at shutdown.
        name: CATALOG_CONNECTION,
        type: 'postgres' as const,
        url: config.CATALOG_DATABASE_URL,
        entities: [MerchantEntity, MenuItemEntity],
        synchronize: false,
        retryAttempts: 1,
        extra: pgPoolExtra({
          poolSize: 4,
          statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
          connectTimeoutMs: config.PG_CONNECT_TIMEOUT_MS,
          applicationName: 'eos-catalog',
        }),
      }),
    }),
  ],
  providers: [
    {
      provide: CatalogRepository,
      inject: [getDataSourceToken(CATALOG_CONNECTION)],
      useFactory: (dataSource: DataSource) => new CatalogRepository(dataSource),
    },
  ],
  exports: [CatalogRepository],
})
export class CatalogPersistenceModule {}
