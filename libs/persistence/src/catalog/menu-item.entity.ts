import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ schema: 'catalog', name: 'menu_items' })
@Index('menu_items_merchant_idx', ['merchantId'])
export class MenuItemEntity {
  @PrimaryColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'merchant_id', type: 'bigint' })
  merchantId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'price_cents', type: 'integer' })
  priceCents!: number;

  @Column({ name: 'packaging_fee_cents', type: 'integer' })
  packagingFeeCents!: number;

  @Column({ type: 'boolean' })
  available!: boolean;
}
