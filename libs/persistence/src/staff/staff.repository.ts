import { Grant, Permission, StaffRole } from '@eos/domain';
import { DataSource, EntityManager } from 'typeorm';

/** The audit `staff_id` of changes made by provisioning (demo seed, test fixtures), not by a person. */
export const PROVISIONING_ACTOR = '0';

/** A staff member as stored: its active grants, and the version every change raises. */
export interface StaffRecord {
  readonly id: string;
  readonly name: string;
  readonly role: StaffRole;
  readonly active: boolean;
  readonly version: number;
  readonly createdAt: Date;
  /** Active grants only, ordered by permission. */
  readonly grants: readonly Grant[];
}

export interface NewStaffMember {
  readonly id: string;
  readonly name: string;
  readonly role: StaffRole;
}

/** Who makes a change and why; the audit row records both. */
export interface StaffChange {
  /** The acting staff member's id, or PROVISIONING_ACTOR. */
  readonly actorId: string;
  readonly reason: string | null;
  /**
   * Runs inside the change's transaction, after the write, with the member's new version:
   * throwing rolls the change back. The grants cache marks the member changed here, so that no
   * change can commit that the cache has not heard of.
   */
  readonly beforeCommit?: (version: number) => Promise<void>;
}

export const StaffAuditAction = {
  Create: 'staff.create',
  Grant: 'staff.grant',
  Revoke: 'staff.revoke',
  Deactivate: 'staff.deactivate',
} as const;
export type StaffAuditAction = (typeof StaffAuditAction)[keyof typeof StaffAuditAction];

/** A position in the audit log, newest first: `at` keeps Postgres' microseconds, which a Date would lose. */
export interface StaffAuditCursor {
  /** ISO-8601 UTC with microseconds, as written by this repository. */
  readonly at: string;
  readonly id: string;
}

export interface StaffAuditEntry {
  readonly id: string;
  /** Who acted (PROVISIONING_ACTOR for provisioning). */
  readonly staffId: string;
  readonly action: string;
  /** `staff:<id>` or `staff:<id>/grant:<permission>`. */
  readonly target: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly reason: string | null;
  readonly at: Date;
  /** Pass as `before` to list the entries older than this one. */
  readonly position: StaffAuditCursor;
}

export interface StaffAuditQuery {
  /** Only what this staff member did. */
  readonly staffId?: string;
  readonly limit: number;
  readonly before?: StaffAuditCursor;
}

interface MemberRow {
  id: string;
  name: string;
  role: StaffRole;
  active: boolean;
  version: number;
  created_at: Date;
  grants: { permission: Permission; ceilingCents: number | null }[];
}

interface AuditRow {
  id: string;
  staff_id: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  at: Date;
  at_text: string;
}

const MEMBER_SELECT = `
SELECT m.id::text AS id, m.name, m.role, m.active, m.version, m.created_at,
  (SELECT coalesce(json_agg(json_build_object('permission', g.permission, 'ceilingCents', g.ceiling_cents)
                            ORDER BY g.permission), '[]'::json)
     FROM staff.grants g WHERE g.staff_id = m.id AND g.revoked_at IS NULL) AS grants
FROM staff.members m`;

const AUDIT_SELECT = `
SELECT id::text AS id, staff_id::text AS staff_id, action, target, before, after, reason, at,
  to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_text
FROM staff.audit_log`;

function fromRow(row: MemberRow): StaffRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    active: row.active,
    version: row.version,
    createdAt: row.created_at,
    grants: row.grants.map((grant) => ({ permission: grant.permission, ceilingCents: grant.ceilingCents })),
  };
}

function auditFromRow(row: AuditRow): StaffAuditEntry {
  return {
    id: row.id,
    staffId: row.staff_id,
    action: row.action,
    target: row.target,
    before: row.before,
    after: row.after,
    reason: row.reason,
    at: row.at,
    position: { at: row.at_text, id: row.id },
  };
}

function grantTarget(staffId: string, permission: Permission): string {
  return `staff:${staffId}/grant:${permission}`;
}

function heldGrant(member: StaffRecord, permission: Permission): Grant | null {
  return member.grants.find((grant) => grant.permission === permission) ?? null;
}

interface AuditWrite {
  readonly action: StaffAuditAction;
  readonly target: string;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * Staff members, grants and the staff audit log in the catalog database; no decisions, only
 * rows. Every write runs in one transaction with its audit row and raises the member's version.
 */
export class StaffRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(staffId: string): Promise<StaffRecord | null> {
    const rows: MemberRow[] = await this.dataSource.query(`${MEMBER_SELECT} WHERE m.id = $1::bigint`, [
      staffId,
    ]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** Members by ascending id, after the id `after` when given. */
  async list(page: { readonly limit: number; readonly after?: string }): Promise<StaffRecord[]> {
    const rows: MemberRow[] = page.after
      ? await this.dataSource.query(`${MEMBER_SELECT} WHERE m.id > $1::bigint ORDER BY m.id LIMIT $2`, [
          page.after,
          page.limit,
        ])
      : await this.dataSource.query(`${MEMBER_SELECT} ORDER BY m.id LIMIT $1`, [page.limit]);
    return rows.map(fromRow);
  }

  /** Creates an active member with `grants`; null if the id is taken (nothing written). */
  async create(
    member: NewStaffMember,
    grants: readonly Grant[],
    change: StaffChange,
  ): Promise<StaffRecord | null> {
    return this.dataSource.transaction(async (manager) => {
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO staff.members (id, name, role) VALUES ($1::bigint, $2, $3)
         ON CONFLICT (id) DO NOTHING RETURNING id::text AS id`,
        [member.id, member.name, member.role],
      );
      if (inserted.length === 0) return null;
      await manager.query(
        `INSERT INTO staff.grants (staff_id, permission, ceiling_cents, granted_by)
         SELECT $1::bigint, g.permission, g.ceiling_cents, $4::bigint
         FROM unnest($2::text[], $3::bigint[]) AS g (permission, ceiling_cents)`,
        [
          member.id,
          grants.map((grant) => grant.permission),
          grants.map((grant) => grant.ceilingCents),
          change.actorId,
        ],
      );
      const created = await this.read(manager, member.id, false);
      if (!created) throw new Error(`staff member ${member.id} vanished inside its own transaction`);
      const { name, role, active, grants: held } = created;
      await this.audit(manager, change, {
        action: StaffAuditAction.Create,
        target: `staff:${member.id}`,
        before: null,
        after: { name, role, active, grants: held },
      });
      await change.beforeCommit?.(created.version);
      return created;
    });
  }

  /** Grants `grant`, replacing the active grant of the same permission (its ceiling); null if no such member. */
  async grant(staffId: string, grant: Grant, change: StaffChange): Promise<StaffRecord | null> {
    return this.change(staffId, change, async (manager, member) => {
      await manager.query(
        `UPDATE staff.grants SET revoked_at = now(), revoked_by = $3::bigint
         WHERE staff_id = $1::bigint AND permission = $2 AND revoked_at IS NULL`,
        [staffId, grant.permission, change.actorId],
      );
      await manager.query(
        `INSERT INTO staff.grants (staff_id, permission, ceiling_cents, granted_by)
         VALUES ($1::bigint, $2, $3::bigint, $4::bigint)`,
        [staffId, grant.permission, grant.ceilingCents, change.actorId],
      );
      return {
        action: StaffAuditAction.Grant,
        target: grantTarget(staffId, grant.permission),
        before: heldGrant(member, grant.permission),
        after: { permission: grant.permission, ceilingCents: grant.ceilingCents },
      };
    });
  }

  /** Revokes the active grant of `permission`, if any (the attempt is audited either way); null if no such member. */
  async revoke(staffId: string, permission: Permission, change: StaffChange): Promise<StaffRecord | null> {
    return this.change(staffId, change, async (manager, member) => {
      await manager.query(
        `UPDATE staff.grants SET revoked_at = now(), revoked_by = $3::bigint
         WHERE staff_id = $1::bigint AND permission = $2 AND revoked_at IS NULL`,
        [staffId, permission, change.actorId],
      );
      return {
        action: StaffAuditAction.Revoke,
        target: grantTarget(staffId, permission),
        before: heldGrant(member, permission),
        after: null,
      };
    });
  }

  /** Deactivates a member: it keeps its grants but may no longer act. Null if no such member. */
  async deactivate(staffId: string, change: StaffChange): Promise<StaffRecord | null> {
    return this.change(staffId, change, async (manager, member) => {
      await manager.query('UPDATE staff.members SET active = false WHERE id = $1::bigint', [staffId]);
      return {
        action: StaffAuditAction.Deactivate,
        target: `staff:${staffId}`,
        before: { active: member.active },
        after: { active: false },
      };
    });
  }

  /** The staff audit log, newest first, older than `before` when given. */
  async listAudit(query: StaffAuditQuery): Promise<StaffAuditEntry[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (query.staffId !== undefined) {
      params.push(query.staffId);
      conditions.push(`staff_id = $${params.length}::bigint`);
    }
    if (query.before !== undefined) {
      params.push(query.before.at, query.before.id);
      conditions.push(`(at, id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
    }
    params.push(query.limit);
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows: AuditRow[] = await this.dataSource.query(
      `${AUDIT_SELECT} ${where} ORDER BY at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(auditFromRow);
  }

  /**
   * One change of an existing member: locks the member row (changes of one member queue up
   * behind each other), writes, raises the version, appends the audit row, all in one transaction.
   */
  private async change(
    staffId: string,
    change: StaffChange,
    write: (manager: EntityManager, member: StaffRecord) => Promise<AuditWrite>,
  ): Promise<StaffRecord | null> {
    return this.dataSource.transaction(async (manager) => {
      const member = await this.read(manager, staffId, true);
      if (!member) return null;
      const audit = await write(manager, member);
      await manager.query('UPDATE staff.members SET version = version + 1 WHERE id = $1::bigint', [staffId]);
      await this.audit(manager, change, audit);
      const changed = await this.read(manager, staffId, false);
      if (!changed) throw new Error(`staff member ${staffId} vanished inside its own transaction`);
      await change.beforeCommit?.(changed.version);
      return changed;
    });
  }

  private async read(manager: EntityManager, staffId: string, lock: boolean): Promise<StaffRecord | null> {
    const rows: MemberRow[] = await manager.query(
      `${MEMBER_SELECT} WHERE m.id = $1::bigint${lock ? ' FOR UPDATE OF m' : ''}`,
      [staffId],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  private async audit(manager: EntityManager, change: StaffChange, write: AuditWrite): Promise<void> {
    await manager.query(
      `INSERT INTO staff.audit_log (staff_id, action, target, before, after, reason)
       VALUES ($1::bigint, $2, $3, $4::jsonb, $5::jsonb, $6)`,
      [
        change.actorId,
        write.action,
        write.target,
        write.before === null ? null : JSON.stringify(write.before),
        write.after === null ? null : JSON.stringify(write.after),
        change.reason,
      ],
    );
  }
}
