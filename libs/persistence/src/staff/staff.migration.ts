import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customer-service staff, their grants and the audit trail of staff administration, in the
 * catalog database: staff are few, read through a Redis cache, and needed by every shard's
 * reverse flow, so one central place serves them all.
 *
 * `members.version` rises with every change of a member or of its grants, in the change's own
 * transaction: it is the version the grants cache is stamped with, so a reader that loaded
 * older grants can never put them back over a newer change (see StaffDirectory).
 *
 * Permissions are not constrained here: the list lives in the domain (`Permission`) and grows
 * with it; the app refuses names it does not know before they reach this table.
 */
export class StaffDirectory1765152000008 implements MigrationInterface {
  name = 'StaffDirectory1765152000008';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
CREATE SCHEMA IF NOT EXISTS staff;
CREATE TABLE IF NOT EXISTS staff.members (
  id         bigint PRIMARY KEY CHECK (id > 0),
  name       text NOT NULL,
  role       text NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
  active     boolean NOT NULL DEFAULT true,
  version    integer NOT NULL DEFAULT 1 CHECK (version > 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS staff.grants (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  staff_id      bigint NOT NULL REFERENCES staff.members (id),
  permission    text NOT NULL,
  -- null: no ceiling. At most 2^53 - 1 so that it stays exact in JavaScript.
  ceiling_cents bigint CHECK (ceiling_cents >= 0 AND ceiling_cents <= 9007199254740991),
  -- 0: granted by provisioning (demo seed, tests), not by a staff member.
  granted_by    bigint NOT NULL,
  granted_at    timestamptz NOT NULL DEFAULT now(),
  revoked_by    bigint,
  revoked_at    timestamptz,
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
-- One active grant per permission; replaced and revoked grants stay as history.
CREATE UNIQUE INDEX IF NOT EXISTS grants_one_active_idx ON staff.grants (staff_id, permission)
  WHERE revoked_at IS NULL;

-- Append-only: who (staff_id, 0 for provisioning) did what to which staff member or grant,
-- when, with the state before and after and why.
CREATE TABLE IF NOT EXISTS staff.audit_log (
  id       bigserial PRIMARY KEY,
  staff_id bigint NOT NULL,
  action   text NOT NULL,
  target   text NOT NULL,
  before   jsonb,
  after    jsonb,
  reason   text,
  at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS audit_log_at_idx ON staff.audit_log (at DESC, id DESC);
CREATE INDEX IF NOT EXISTS audit_log_staff_idx ON staff.audit_log (staff_id, at DESC, id DESC);
CREATE OR REPLACE FUNCTION staff.audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'staff.audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
DROP TRIGGER IF EXISTS audit_log_append_only ON staff.audit_log;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON staff.audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION staff.audit_log_append_only();
`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP SCHEMA IF EXISTS staff CASCADE');
  }
}
