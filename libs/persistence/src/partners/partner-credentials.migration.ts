import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credentials of the gRPC partners (merchants and delivery partners), in the catalog database:
 * a partner's calls are few and its credential is cached, so one small central table serves
 * every shard. The secret itself is never stored, only its SHA-256 (see partner-credential.ts).
 */
export class PartnerCredentials1765065600006 implements MigrationInterface {
  name = 'PartnerCredentials1765065600006';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
CREATE SCHEMA IF NOT EXISTS partners;
CREATE TABLE IF NOT EXISTS partners.credentials (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind                text NOT NULL CHECK (kind IN ('MERCHANT', 'DELIVERY')),
  merchant_ids        bigint[] NOT NULL DEFAULT '{}',
  delivery_partner_id bigint,
  secret_sha256       bytea NOT NULL CHECK (octet_length(secret_sha256) = 32),
  rate_per_second     integer CHECK (rate_per_second > 0),
  burst               integer CHECK (burst > 0),
  label               text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  revoked_at          timestamptz,
  CHECK (
    (kind = 'MERCHANT' AND cardinality(merchant_ids) > 0 AND delivery_partner_id IS NULL)
    OR (kind = 'DELIVERY' AND cardinality(merchant_ids) = 0 AND delivery_partner_id > 0)
  )
);
`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP SCHEMA IF EXISTS partners CASCADE');
  }
}
