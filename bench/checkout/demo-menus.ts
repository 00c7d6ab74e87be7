import type { Menu } from '@eos/domain';
import { CatalogRepository, DEMO_MERCHANTS, MenuItemEntity, MerchantEntity } from '@eos/persistence';
import { DataSource } from 'typeorm';

const LOADS_AT_ONCE = 8;

/**
 * Every demo merchant's menu, read once through the app's own CatalogRepository so the ceiling
 * prices carts from exactly the values the app gets (the app reads them through its Redis cache).
 */
export async function loadDemoMenus(catalogUrl: string): Promise<ReadonlyMap<string, Menu>> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: catalogUrl,
    entities: [MerchantEntity, MenuItemEntity],
    synchronize: false,
    logging: false,
    extra: { max: LOADS_AT_ONCE, application_name: 'eos-bench-menus' },
  });
  await dataSource.initialize();
  try {
    const catalog = new CatalogRepository(dataSource);
    const menus = new Map<string, Menu>();
    for (let first = 1; first <= DEMO_MERCHANTS; first += LOADS_AT_ONCE) {
      const ids = Array.from({ length: Math.min(LOADS_AT_ONCE, DEMO_MERCHANTS - first + 1) }, (_, i) =>
        String(first + i),
      );
      await Promise.all(
        ids.map(async (id) => {
          const menu = await catalog.loadMenu(id);
          if (!menu) throw new Error(`demo merchant ${id} is missing: run \`npm run setup\` first`);
          menus.set(id, menu);
        }),
      );
    }
    return menus;
  } finally {
    await dataSource.destroy();
  }
}
