import { MigrationInterface, QueryRunner } from 'typeorm';

export class CatalogSchema1764806400001 implements MigrationInterface {
  name = 'CatalogSchema1764806400001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
CREATE SCHEMA IF NOT EXISTS catalog;
CREATE TABLE IF NOT EXISTS catalog.merchants (
  id                       bigint PRIMARY KEY,
  name                     text NOT NULL,
  opens_at_minute          integer NOT NULL CHECK (opens_at_minute BETWEEN 0 AND 1440),
  closes_at_minute         integer NOT NULL CHECK (closes_at_minute BETWEEN 0 AND 1440),
  delivery_fee_cents       integer NOT NULL CHECK (delivery_fee_cents >= 0),
  discount_threshold_cents integer CHECK (discount_threshold_cents >= 0),
  discount_cents           integer CHECK (discount_cents >= 0),
  currency                 text NOT NULL,
  version                  integer NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS catalog.menu_items (
  id                  bigint PRIMARY KEY,
  merchant_id         bigint NOT NULL REFERENCES catalog.merchants (id),
  name                text NOT NULL,
  price_cents         integer NOT NULL CHECK (price_cents >= 0),
  packaging_fee_cents integer NOT NULL CHECK (packaging_fee_cents >= 0),
  available           boolean NOT NULL DEFAULT true
);
CREATE INDEX IF NOT EXISTS menu_items_merchant_idx ON catalog.menu_items (merchant_id);
`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP SCHEMA IF EXISTS catalog CASCADE');
  }
}
