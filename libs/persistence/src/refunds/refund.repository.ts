import { OrderEventType, type AttemptOutcome, type RefundBearer } from '@eos/domain';
import { ShardMap, ShardRoute, schemasOn } from '@eos/sharding';
import { ShardTransactions } from '../reverse/shard-transaction';
import { ShardDataSources } from '../shards/shard-data-sources';
import { onShard } from '../shards/shard-failure';
import { StatementParams } from '../shards/statement-params';
import { refundEventInsert } from './refund-event.sql';
import { RefundRecord, RefundRow, refundColumns, refundFromRow } from './refund.row';

/** A refund that became due on the forward side, still open and with nothing taken for it yet. */
export interface OpenRefundDue {
  readonly id: string;
  readonly orderId: string;
  readonly reason: string;
  /** Who bears it, when the forward side said so; null: the rule for its reason decides. */
  readonly bearer: RefundBearer | null;
  readonly amountCents: number;
  readonly currency: string;
}

/** What the intake decided for one open due: the refund's id and who bears it. */
export interface RefundIntake {
  readonly refundDueId: string;
  readonly orderId: string;
  readonly refundId: string;
  readonly bearer: RefundBearer;
}

/** A staff retry as the audit log records it. */
export interface RefundRetryAudit {
  readonly staffId: string;
  readonly reason: string;
}

// Open dues whose order still holds money that no refund has promised back.
const OPEN_DUE = (schema: string): string => `d.refunded_at IS NULL AND o.paid_cents > o.refunded_cents
  AND NOT EXISTS (SELECT 1 FROM ${schema}.refunds r WHERE r.refund_due_id = d.id)`;

/**
 * The refunds table of each user shard, as refund execution uses it: intake of refunds that became
 * due on the forward side, claiming due refunds, recording the provider's answers (each with its
 * outbox event in the same statement), staff retries (with their audit entry in the same
 * statement) and the list of failures. No business decisions: the caller decides bearer, backoff
 * and retryability with the domain. Schema names come from the router's routes.
 */
export class RefundRepository {
  private readonly transactions: ShardTransactions;

  /** `onCommitted` hears the user shard of every write that added outbox rows, after its commit. */
  constructor(
    private readonly sources: ShardDataSources,
    private readonly map: ShardMap,
    private readonly onCommitted: (userShard: number) => void = () => undefined,
  ) {
    this.transactions = new ShardTransactions(sources);
  }

  /**
   * Of `routes` (all on `database`), the shards with work for the executor: a PENDING refund due
   * by `now`, or an open refund due not yet taken. One round trip, on the partial indexes.
   */
  async shardsWithWork(database: string, routes: readonly ShardRoute[], now: Date): Promise<number[]> {
    if (routes.length === 0) return [];
    const text = routes
      .map(
        (route) => `SELECT ${route.shard} AS shard WHERE
  EXISTS (SELECT 1 FROM ${route.schema}.refunds WHERE status = 'PENDING' AND next_attempt_at <= $1::timestamptz)
  OR EXISTS (SELECT 1 FROM ${route.schema}.refunds_due d JOIN ${route.schema}.orders o ON o.id = d.order_id
             WHERE ${OPEN_DUE(route.schema)})`,
      )
      .join('\nUNION ALL\n');
    return onShard(database, async () => {
      const rows: { shard: number }[] = await this.sources.get(database).query(text, [now.toISOString()]);
      return rows.map((row) => row.shard);
    });
  }

  /** Open dues of the shard (of one order, when given), oldest first. */
  async openDues(route: ShardRoute, options: { orderId?: string; limit: number }): Promise<OpenRefundDue[]> {
    const p = new StatementParams();
    const limit = p.add(options.limit, 'int');
    const forOrder =
      options.orderId === undefined ? '' : ` AND d.order_id = ${p.add(options.orderId, 'bigint')}`;
    return onShard(route.database, async () => {
      const rows: {
        id: string;
        order_id: string;
        reason: string;
        bearer: string | null;
        amount_cents: string;
        currency: string;
      }[] = await this.sources.get(route.database).query(
        `SELECT d.id::text AS id, d.order_id::text AS order_id, d.reason, d.bearer, d.amount_cents::text AS amount_cents,
  d.currency
FROM ${route.schema}.refunds_due d JOIN ${route.schema}.orders o ON o.id = d.order_id
WHERE ${OPEN_DUE(route.schema)}${forOrder}
ORDER BY d.created_at, d.id LIMIT ${limit}`,
        p.values,
      );
      return rows.map((row) => ({
        id: row.id,
        orderId: row.order_id,
        reason: row.reason,
        bearer: row.bearer as RefundBearer | null,
        amountCents: Number(row.amount_cents),
        currency: row.currency,
      }));
    });
  }

  /**
   * Creates a PENDING refund, due now, for each intake whose due is still open and untaken, and
   * promises its money back on the order (orders.refunded_cents) in the same transaction. A refund
   * is the due's amount, capped by what the order paid and has not yet promised back (several dues
   * of one order are capped in turn); a due with nothing left is not taken. Returns the refunds
   * created; an intake that another instance took first is skipped.
   *
   * Two statements in one transaction, because the cap must be read after the orders are locked:
   * within one statement the snapshot predates the lock, so a refund that a concurrent intake
   * committed while we waited would be invisible to it. The CHECK on orders still refuses any
   * overdraw, whatever happens above it.
   */
  async takeDue(route: ShardRoute, intakes: readonly RefundIntake[], now: Date): Promise<RefundRecord[]> {
    if (intakes.length === 0) return [];
    const schema = route.schema;
    const orderIds = [...new Set(intakes.map((intake) => intake.orderId))];
    return this.transactions.run(route, async (tx) => {
      await tx.query(`SELECT 1 FROM ${schema}.orders WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`, [
        orderIds,
      ]);
      const rows = await tx.query<RefundRow>(
        `WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS i(refund_due_id bigint, refund_id bigint, bearer text)
), open AS (
  SELECT i.refund_id, i.bearer, d.id AS due_id, d.order_id, d.reason, d.currency, d.amount_cents AS due_cents,
    GREATEST(o.paid_cents - o.refunded_cents, 0) AS available,
    sum(d.amount_cents) OVER (PARTITION BY d.order_id ORDER BY d.id) AS through_cents
  FROM input i
  JOIN ${schema}.refunds_due d ON d.id = i.refund_due_id
  JOIN ${schema}.orders o ON o.id = d.order_id
  WHERE d.refunded_at IS NULL AND NOT EXISTS (SELECT 1 FROM ${schema}.refunds r WHERE r.refund_due_id = d.id)
), sized AS (
  -- Each due gets what is left of the order's money after the dues before it.
  SELECT *, LEAST(through_cents, available) - LEAST(through_cents - due_cents, available) AS amount_cents
  FROM open
), created AS (
  INSERT INTO ${schema}.refunds (id, order_id, refund_due_id, amount_cents, currency, bearer, reason, status,
    attempts, next_attempt_at, created_at, updated_at)
  SELECT refund_id, order_id, due_id, amount_cents, currency, bearer, reason, 'PENDING', 0, $2::timestamptz,
    $2::timestamptz, $2::timestamptz
  FROM sized WHERE amount_cents > 0
  ON CONFLICT (refund_due_id) DO NOTHING
  RETURNING *
), promised AS (
  UPDATE ${schema}.orders o SET refunded_cents = o.refunded_cents + c.cents
  FROM (SELECT order_id, sum(amount_cents) AS cents FROM created GROUP BY order_id) c
  WHERE o.id = c.order_id
)
SELECT ${refundColumns('created')} FROM created ORDER BY created.id`,
        [
          JSON.stringify(
            intakes.map((intake) => ({
              refund_due_id: intake.refundDueId,
              refund_id: intake.refundId,
              bearer: intake.bearer,
            })),
          ),
          now.toISOString(),
        ],
      );
      return rows.map(refundFromRow);
    });
  }

  /**
   * Claims up to `limit` PENDING refunds due by `now`, oldest due first, skipping rows another
   * executor holds, and pushes their next attempt `leaseMs` ahead in the same statement: while the
   * claimant calls the provider nobody else picks them, and if it dies they come back on their own.
   */
  async claimDue(route: ShardRoute, now: Date, limit: number, leaseMs: number): Promise<RefundRecord[]> {
    return onShard(route.database, async () => {
      const rows: RefundRow[] = await this.sources.get(route.database).query(
        `WITH due AS (
  SELECT id FROM ${route.schema}.refunds
  WHERE status = 'PENDING' AND next_attempt_at <= $1::timestamptz
  ORDER BY next_attempt_at LIMIT $2::int FOR UPDATE SKIP LOCKED
), claimed AS (
  UPDATE ${route.schema}.refunds r SET next_attempt_at = $3::timestamptz FROM due WHERE r.id = due.id
  RETURNING r.*
)
SELECT ${refundColumns('claimed')} FROM claimed ORDER BY claimed.id`,
        [now.toISOString(), limit, new Date(now.getTime() + leaseMs).toISOString()],
      );
      return rows.map(refundFromRow);
    });
  }

  /**
   * The provider paid: SUCCEEDED, its refund due (if any) closed, and `order.refund.completed` in
   * the outbox, in one statement. Guarded on PENDING only: the provider's word is final, even if
   * this claim outlived its lease. False if the refund was no longer PENDING (recorded already).
   */
  async recordSuccess(
    route: ShardRoute,
    refundId: string,
    providerRefundId: string,
    now: Date,
  ): Promise<boolean> {
    const schema = route.schema;
    return this.write(
      route,
      `WITH done AS (
  UPDATE ${schema}.refunds SET status = 'SUCCEEDED', provider_refund_id = $2::text, attempts = attempts + 1,
    next_attempt_at = NULL, updated_at = $3::timestamptz, completed_at = $3::timestamptz
  WHERE id = $1::bigint AND status = 'PENDING'
  RETURNING *
), closed AS (
  UPDATE ${schema}.refunds_due d SET refunded_at = $3::timestamptz FROM done
  WHERE d.id = done.refund_due_id AND d.refunded_at IS NULL
), event AS (
  ${refundEventInsert(schema, 'done', '$4::text', '$3::timestamptz')}
)
SELECT count(*)::int AS written FROM done`,
      [refundId, providerRefundId, now.toISOString(), OrderEventType.RefundCompleted],
    );
  }

  /**
   * A failed attempt: PENDING again at the outcome's time, or FAILED with `order.refund.failed` in
   * the outbox, in one statement. Guarded on the attempts the claim saw: a stale claimant that
   * outlived its lease cannot count an attempt twice or undo a later success.
   */
  async recordFailure(
    route: ShardRoute,
    refundId: string,
    claimedAttempts: number,
    outcome: AttemptOutcome,
    error: string,
    now: Date,
  ): Promise<boolean> {
    const schema = route.schema;
    const nextAttemptAt = outcome.status === 'PENDING' ? outcome.nextAttemptAt.toISOString() : null;
    return this.write(
      route,
      `WITH failed AS (
  UPDATE ${schema}.refunds SET status = $3::text, attempts = attempts + 1, next_attempt_at = $4::timestamptz,
    last_error = $5::text, updated_at = $6::timestamptz
  WHERE id = $1::bigint AND status = 'PENDING' AND attempts = $2::int
  RETURNING *
), event AS (
  ${refundEventInsert(schema, 'failed', '$7::text', '$6::timestamptz')} WHERE failed.status = 'FAILED'
)
SELECT count(*)::int AS written FROM failed`,
      [
        refundId,
        claimedAttempts,
        outcome.status,
        nextAttemptAt,
        error.slice(0, 500),
        now.toISOString(),
        OrderEventType.RefundFailed,
      ],
    );
  }

  async find(route: ShardRoute, refundId: string): Promise<RefundRecord | null> {
    return onShard(route.database, async () => {
      const rows: RefundRow[] = await this.sources
        .get(route.database)
        .query(`SELECT ${refundColumns('r')} FROM ${route.schema}.refunds r WHERE r.id = $1::bigint`, [
          refundId,
        ]);
      return rows[0] ? refundFromRow(rows[0]) : null;
    });
  }

  /**
   * A staff retry: FAILED -> PENDING with a fresh budget of attempts, due now, and the audit entry
   * (before and after) in the same statement. Null when the refund was not FAILED at the moment of
   * the write (another retry won): nothing was written.
   */
  async retry(
    route: ShardRoute,
    refundId: string,
    audit: RefundRetryAudit,
    now: Date,
  ): Promise<RefundRecord | null> {
    const schema = route.schema;
    return onShard(route.database, async () => {
      const rows: RefundRow[] = await this.sources.get(route.database).query(
        `WITH old AS (
  SELECT id, status, attempts, last_error, next_attempt_at FROM ${schema}.refunds WHERE id = $1::bigint
), retried AS (
  UPDATE ${schema}.refunds r SET status = 'PENDING', attempts = 0, next_attempt_at = $4::timestamptz,
    updated_at = $4::timestamptz
  FROM old WHERE r.id = old.id AND r.status = 'FAILED'
  RETURNING r.*
), audit AS (
  INSERT INTO ${schema}.audit_log (order_id, staff_id, action, target, before, after, reason, at)
  SELECT retried.order_id, $2::bigint, 'refund.retry', 'refund:' || retried.id,
    jsonb_build_object('status', old.status, 'attempts', old.attempts, 'lastError', old.last_error),
    jsonb_build_object('status', retried.status, 'attempts', retried.attempts,
      'nextAttemptAt', to_char(retried.next_attempt_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
    $3::text, $4::timestamptz
  FROM retried JOIN old ON old.id = retried.id
)
SELECT ${refundColumns('retried')} FROM retried`,
        [refundId, audit.staffId, audit.reason, now.toISOString()],
      );
      return rows[0] ? refundFromRow(rows[0]) : null;
    });
  }

  /**
   * FAILED refunds over every user shard, most recently failed first, at most `limit`: one UNION
   * ALL query per database, each part limited on the partial index of failures.
   */
  async listFailed(limit: number): Promise<RefundRecord[]> {
    const perDatabase = await Promise.all(
      Object.keys(this.map.databases).map(async (database) => {
        const { user } = schemasOn(this.map, database);
        if (user.length === 0) return [];
        const text = user
          .map(
            (schema) => `(SELECT ${refundColumns('r')} FROM ${schema}.refunds r
  WHERE r.status = 'FAILED' ORDER BY r.updated_at DESC LIMIT $1::int)`,
          )
          .join('\nUNION ALL\n');
        return onShard(database, async () => {
          const rows: RefundRow[] = await this.sources
            .get(database)
            .query(`SELECT * FROM (${text}) AS failed ORDER BY updated_at DESC, id DESC LIMIT $1::int`, [
              limit,
            ]);
          return rows.map(refundFromRow);
        });
      }),
    );
    return perDatabase
      .flat()
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
      .slice(0, limit);
  }

  /** Runs a statement answering `written`; a write that added outbox rows wakes the relay after commit. */
  private async write(route: ShardRoute, text: string, params: unknown[]): Promise<boolean> {
    return onShard(route.database, async () => {
      const rows: { written: number }[] = await this.sources.get(route.database).query(text, params);
      const written = rows[0].written === 1;
      if (written) this.onCommitted(route.shard);
      return written;
    });
  }
}
