import { ShardMap, ShardRoute, schemasOn } from '@eos/sharding';
import { ShardDataSources } from '../shards/shard-data-sources';
import { onShard } from '../shards/shard-failure';
import { ShardTransaction } from './shard-transaction';

/** A staff action on an order, as the shard's append-only audit log keeps it. */
export interface AuditEntry {
  readonly orderId: string;
  readonly staffId: string;
  /** What was done, e.g. `reverse_request.approve`. */
  readonly action: string;
  /** What it was done to, e.g. `reverse_request:<id>` or `order:<id>`. */
  readonly target: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly reason: string | null;
  readonly at: Date;
}

export interface AuditRecord extends AuditEntry {
  /** Unique within its shard only. */
  readonly id: string;
}

interface AuditRow {
  id: string;
  order_id: string;
  staff_id: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  at: Date;
}

const COLUMNS = `a.id::text AS id, a.order_id::text AS order_id, a.staff_id::text AS staff_id, a.action, a.target,
  a.before, a.after, a.reason, a.at`;

function auditFromRow(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    orderId: row.order_id,
    staffId: row.staff_id,
    action: row.action,
    target: row.target,
    before: row.before,
    after: row.after,
    reason: row.reason,
    at: new Date(row.at),
  };
}

/**
 * The audit trail of staff actions, beside the orders they concern: an entry is appended in the
 * same transaction as the change it records, so there is never a change without its entry. The
 * table refuses UPDATE and DELETE (a trigger of the reverse-flow migration).
 */
export class AuditLogRepository {
  constructor(
    private readonly sources: ShardDataSources,
    private readonly map: ShardMap,
  ) {}

  async append(tx: ShardTransaction, entry: AuditEntry): Promise<void> {
    await tx.query(
      `INSERT INTO ${tx.route.schema}.audit_log (order_id, staff_id, action, target, before, after, reason, at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8)`,
      [
        entry.orderId,
        entry.staffId,
        entry.action,
        entry.target,
        JSON.stringify(entry.before ?? null),
        JSON.stringify(entry.after ?? null),
        entry.reason,
        entry.at.toISOString(),
      ],
    );
  }

  /** The order's entries, oldest first. */
  async listForOrder(route: ShardRoute, orderId: string): Promise<AuditRecord[]> {
    return onShard(route.database, async () => {
      const rows: AuditRow[] = await this.sources
        .get(route.database)
        .query(`SELECT ${COLUMNS} FROM ${route.schema}.audit_log a WHERE a.order_id = $1 ORDER BY a.id`, [
          orderId,
        ]);
      return rows.map(auditFromRow);
    });
  }

  /**
   * A staff member's entries over every user shard, newest first, at most `limit`, older than
   * `before` when given. One UNION ALL query per database, each part limited on the staff index,
   * so the work is bounded by shards x limit, never by the size of the log.
   */
  async listForStaff(staffId: string, limit: number, before?: Date): Promise<AuditRecord[]> {
    const params: unknown[] = [staffId, limit, before?.toISOString() ?? null];
    const perDatabase = await Promise.all(
      Object.keys(this.map.databases).map(async (database) => {
        const { user } = schemasOn(this.map, database);
        if (user.length === 0) return [];
        const text = user
          .map(
            (schema) => `(SELECT ${COLUMNS} FROM ${schema}.audit_log a
  WHERE a.staff_id = $1 AND ($3::timestamptz IS NULL OR a.at < $3::timestamptz) ORDER BY a.id DESC LIMIT $2)`,
          )
          .join('\nUNION ALL\n');
        return onShard(database, async () => {
          const rows: AuditRow[] = await this.sources
            .get(database)
            .query(`SELECT * FROM (${text}) AS entries ORDER BY at DESC LIMIT $2`, params);
          return rows.map(auditFromRow);
        });
      }),
    );
    return perDatabase
      .flat()
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .slice(0, limit);
  }
}
