import { Menu, MenuItem, Merchant } from '@eos/domain';
import { DataSource } from 'typeorm';
import { MenuItemEntity } from './menu-item.entity';
import { MerchantEntity } from './merchant.entity';

/** Reads and changes the catalog; no business decisions. */
export class CatalogRepository {
  constructor(private readonly dataSource: DataSource) {}

  async loadMenu(merchantId: string): Promise<Menu | null> {
    const merchant = await this.dataSource.getRepository(MerchantEntity).findOneBy({ id: merchantId });
    if (!merchant) return null;
    const items = await this.dataSource
      .getRepository(MenuItemEntity)
      .find({ where: { merchantId }, order: { id: 'ASC' } });
    return { merchant: toMerchant(merchant), items: items.map(toMenuItem), version: merchant.version };
  }

  async saveMerchant(merchant: Omit<MerchantEntity, 'version'>): Promise<number> {
    const rows: { version: number }[] = await this.dataSource.query(
      `INSERT INTO catalog.merchants
         (id, name, opens_at_minute, closes_at_minute, delivery_fee_cents, discount_threshold_cents, discount_cents, currency, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, opens_at_minute = EXCLUDED.opens_at_minute,
         closes_at_minute = EXCLUDED.closes_at_minute, delivery_fee_cents = EXCLUDED.delivery_fee_cents,
         discount_threshold_cents = EXCLUDED.discount_threshold_cents, discount_cents = EXCLUDED.discount_cents,
         currency = EXCLUDED.currency, version = catalog.merchants.version + 1
       RETURNING version`,
      [
        merchant.id,
        merchant.name,
        merchant.opensAtMinute,
        merchant.closesAtMinute,
        merchant.deliveryFeeCents,
        merchant.discountThresholdCents,
        merchant.discountCents,
        merchant.currency,
      ],
    );
    return rows[0].version;
  }

  /** Upserts an item and bumps its merchant's version in one transaction, so caches see the change. */
  async saveItem(item: MenuItemEntity): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO catalog.menu_items (id, merchant_id, name, price_cents, packaging_fee_cents, available)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, price_cents = EXCLUDED.price_cents,
           packaging_fee_cents = EXCLUDED.packaging_fee_cents, available = EXCLUDED.available`,
        [item.id, item.merchantId, item.name, item.priceCents, item.packagingFeeCents, item.available],
      );
      const rows: { version: number }[] = await manager.query(
        // Wrapped in a SELECT: for a bare UPDATE, TypeORM returns [rows, count] instead of rows.
        'WITH bumped AS (UPDATE catalog.merchants SET version = version + 1 WHERE id = $1 RETURNING version) SELECT version FROM bumped',
        [item.merchantId],
      );
      return rows[0].version;
    });
  }
}

function toMerchant(row: MerchantEntity): Merchant {
  const rule =
    row.discountThresholdCents !== null && row.discountCents !== null
      ? { thresholdCents: row.discountThresholdCents, discountCents: row.discountCents }
      : null;
  return {
    id: row.id,
    name: row.name,
    opensAtMinute: row.opensAtMinute,
    closesAtMinute: row.closesAtMinute,
    deliveryFeeCents: row.deliveryFeeCents,
    discountRule: rule,
    currency: row.currency,
  };
}

function toMenuItem(row: MenuItemEntity): MenuItem {
  return {
    id: row.id,
    name: row.name,
    priceCents: row.priceCents,
    packagingFeeCents: row.packagingFeeCents,
    available: row.available,
  };
}
