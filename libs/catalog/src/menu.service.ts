import { Inject, Injectable } from '@nestjs/common';
import { EOS_CONFIG, EosConfig } from '@eos/common';
import { EntityCache, REDIS } from '@eos/cache';
import { DomainError, DomainErrorCode, Menu } from '@eos/domain';
import { CatalogRepository, MenuItemEntity, MerchantEntity } from '@eos/persistence';
import Redis from 'ioredis';

/** Menus for pricing and browsing, read through the Redis entity cache. */
@Injectable()
export class MenuService {
  private readonly cache: EntityCache<Menu>;

  constructor(
    private readonly catalog: CatalogRepository,
    @Inject(REDIS) redis: Redis,
    @Inject(EOS_CONFIG) config: EosConfig,
  ) {
    this.cache = new EntityCache<Menu>(redis, {
      name: 'catalog:menu',
      ttlSeconds: config.CATALOG_CACHE_TTL_SECONDS,
    });
  }

  async getMenu(merchantId: string): Promise<Menu> {
    const menu = await this.cache.get(merchantId, () => this.catalog.loadMenu(merchantId));
    if (!menu)
      throw new DomainError(DomainErrorCode.MerchantNotFound, `merchant ${merchantId} does not exist`);
    return menu;
  }

  async saveMerchant(merchant: Omit<MerchantEntity, 'version'>): Promise<void> {
    const version = await this.catalog.saveMerchant(merchant);
    await this.cache.invalidate(merchant.id, version);
  }

  async saveItem(item: MenuItemEntity): Promise<void> {
    const version = await this.catalog.saveItem(item);
    await this.cache.invalidate(item.merchantId, version);
  }
}
