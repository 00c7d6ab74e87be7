import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ schema: 'catalog', name: 'merchants' })
export class MerchantEntity {
  // node-postgres returns int8 as a string: ids stay strings end to end.
  @PrimaryColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'opens_at_minute', type: 'integer' })
  opensAtMinute!: number;

  @Column({ name: 'closes_at_minute', type: 'integer' })
  closesAtMinute!: number;

  @Column({ name: 'delivery_fee_cents', type: 'integer' })
  deliveryFeeCents!: number;

  @Column({ name: 'discount_threshold_cents', type: 'integer', nullable: true })
  discountThresholdCents!: number | null;

  @Column({ name: 'discount_cents', type: 'integer', nullable: true })
  discountCents!: number | null;

  @Column({ type: 'text' })
  currency!: string;

  /** Bumped on every change of the merchant or its items; the cache keys on it. */
  @Column({ type: 'integer' })
  version!: number;
}
