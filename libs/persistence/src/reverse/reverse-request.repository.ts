import { DomainError, DomainErrorCode, RefundBearer, ReverseStatus } from '@eos/domain';
import type { ShardRoute } from '@eos/sharding';
import { ShardDataSources } from '../shards/shard-data-sources';
import { onShard } from '../shards/shard-failure';
import {
  REVERSE_REQUEST_COLUMNS,
  ReverseRequestRecord,
  ReverseRequestRow,
  reverseRequestFromRow,
} from './reverse-request.row';
import { ShardTransaction } from './shard-transaction';

/** The decided next state of a request; the caller carries over what does not change. */
export interface ReverseRequestChange {
  readonly status: ReverseStatus;
  readonly firstApprover: string | null;
  readonly decidedBy: string | null;
  readonly decisionReason: string | null;
  readonly bearer: RefundBearer | null;
  readonly at: Date;
}

/** A step a sweep decided on a request as it read it; written only if the request is still there. */
export interface ReverseRequestStep {
  readonly id: string;
  readonly expectedVersion: number;
  readonly fromStatus: ReverseStatus;
  readonly toStatus: ReverseStatus;
}

const UNIQUE_VIOLATION = '23505';
const OPEN_STATUSES = `('AWAITING_MERCHANT', 'AWAITING_STAFF', 'AWAITING_SECOND_APPROVAL')`;

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown }).code;
}

/**
 * Reverse requests on their order's user shard. Writes join the caller's transaction; the order
 * row is always locked before a request row (see ReverseOrderRepository.lock), so two writers
 * never wait on each other in opposite orders.
 */
export class ReverseRequestRepository {
  constructor(private readonly sources: ShardDataSources) {}

  async insert(tx: ShardTransaction, request: ReverseRequestRecord): Promise<void> {
    try {
      await tx.query(
        `INSERT INTO ${tx.route.schema}.reverse_requests (id, order_id, user_id, merchant_id, kind, status, reason,
           amount_cents, currency, lines, requested_by, first_approver, decided_by, decision_reason, bearer,
           merchant_deadline, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15, $16, $17, $18, $18)`,
        [
          request.id,
          request.orderId,
          request.userId,
          request.merchantId,
          request.kind,
          request.status,
          request.reason,
          request.amountCents,
          request.currency,
          JSON.stringify(request.lines),
          request.requestedBy,
          request.firstApprover,
          request.decidedBy,
          request.decisionReason,
          request.bearer,
          request.merchantDeadline?.toISOString() ?? null,
          request.version,
          request.createdAt.toISOString(),
        ],
      );
    } catch (error) {
      // The partial unique index allows one open cancellation per order: the last guard if two
      // requests got past the check under the order lock (they cannot, but the index is the law).
      if (codeOf(error) === UNIQUE_VIOLATION) {
        throw new DomainError(
          DomainErrorCode.ReverseNotAllowed,
          `order ${request.orderId} already has an open cancellation request`,
        );
      }
      throw error;
    }
  }

  /** The request, locked for the rest of the transaction; null if it is not on this shard. */
  async lock(tx: ShardTransaction, id: string): Promise<ReverseRequestRecord | null> {
    const rows = await tx.query<ReverseRequestRow>(
      `SELECT ${REVERSE_REQUEST_COLUMNS} FROM ${tx.route.schema}.reverse_requests r WHERE r.id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ? reverseRequestFromRow(rows[0]) : null;
  }

  /** The order's open requests, locked, oldest first; `kind` narrows them. */
  async lockOpen(
    tx: ShardTransaction,
    orderId: string,
    kind?: ReverseRequestRecord['kind'],
  ): Promise<ReverseRequestRecord[]> {
    const params: unknown[] = [orderId];
    let where = `r.order_id = $1 AND r.status IN ${OPEN_STATUSES}`;
    if (kind) {
      params.push(kind);
      where += ` AND r.kind = $2`;
    }
    const rows = await tx.query<ReverseRequestRow>(
      `SELECT ${REVERSE_REQUEST_COLUMNS} FROM ${tx.route.schema}.reverse_requests r WHERE ${where}
       ORDER BY r.id FOR UPDATE`,
      params,
    );
    return rows.map(reverseRequestFromRow);
  }

  /** Writes the decided state if the request is still at `expectedVersion`; null if it moved meanwhile. */
  async update(
    tx: ShardTransaction,
    id: string,
    expectedVersion: number,
    change: ReverseRequestChange,
  ): Promise<ReverseRequestRecord | null> {
    const rows = await tx.query<ReverseRequestRow>(
      `UPDATE ${tx.route.schema}.reverse_requests r SET status = $3, first_approver = $4, decided_by = $5,
         decision_reason = $6, bearer = $7, version = r.version + 1, updated_at = $8
       WHERE r.id = $1 AND r.version = $2
       RETURNING ${REVERSE_REQUEST_COLUMNS}`,
      [
        id,
        expectedVersion,
        change.status,
        change.firstApprover,
        change.decidedBy,
        change.decisionReason,
        change.bearer,
        change.at.toISOString(),
      ],
    );
    return rows[0] ? reverseRequestFromRow(rows[0]) : null;
  }

  /** A request without a lock (to learn its order before locking in the right order), or null. */
  async find(route: ShardRoute, id: string): Promise<ReverseRequestRecord | null> {
    return onShard(route.database, async () => {
      const rows: ReverseRequestRow[] = await this.sources
        .get(route.database)
        .query(`SELECT ${REVERSE_REQUEST_COLUMNS} FROM ${route.schema}.reverse_requests r WHERE r.id = $1`, [
          id,
        ]);
      return rows[0] ? reverseRequestFromRow(rows[0]) : null;
    });
  }

  /** Every request of an order, oldest first. */
  async listForOrder(route: ShardRoute, orderId: string): Promise<ReverseRequestRecord[]> {
    return onShard(route.database, async () => {
      const rows: ReverseRequestRow[] = await this.sources
        .get(route.database)
        .query(
          `SELECT ${REVERSE_REQUEST_COLUMNS} FROM ${route.schema}.reverse_requests r WHERE r.order_id = $1 ORDER BY r.id`,
          [orderId],
        );
      return rows.map(reverseRequestFromRow);
    });
  }

  /**
   * Cancellation requests whose merchant deadline passed by `now`, oldest deadline first, at most
   * `limitPerShard` per shard; the shards must all live on `database` (one query asks them all).
   */
  async dueForEscalation(
    database: string,
    routes: readonly ShardRoute[],
    now: Date,
    limitPerShard: number,
  ): Promise<{ route: ShardRoute; request: ReverseRequestRecord }[]> {
    if (routes.length === 0) return [];
    for (const route of routes) {
      if (route.database !== database) throw new Error(`shard ${route.schema} is not on ${database}`);
    }
    // Each part matches the partial index reverse_requests_merchant_due_idx: an idle shard is one probe.
    const text = routes
      .map(
        (route, index) => `(SELECT ${index} AS shard_index, ${REVERSE_REQUEST_COLUMNS}
  FROM ${route.schema}.reverse_requests r
  WHERE r.status = 'AWAITING_MERCHANT' AND r.merchant_deadline <= $1 ORDER BY r.merchant_deadline LIMIT $2)`,
      )
      .join('\nUNION ALL\n');
    return onShard(database, async () => {
      const rows: (ReverseRequestRow & { shard_index: number })[] = await this.sources
        .get(database)
        .query(text, [now.toISOString(), limitPerShard]);
      return rows.map((row) => ({ route: routes[row.shard_index], request: reverseRequestFromRow(row) }));
    });
  }

  /**
   * Writes steps a sweep decided, in one statement on one shard. Each is guarded by the version
   * and status it was decided on; a request another transaction holds right now (a merchant or
   * staff decision in flight) is skipped, not waited for: the next pass looks again if still due.
   */
  async applySteps(
    route: ShardRoute,
    steps: readonly ReverseRequestStep[],
    at: Date,
  ): Promise<ReverseRequestRecord[]> {
    if (steps.length === 0) return [];
    return onShard(route.database, async () => {
      const rows: ReverseRequestRow[] = await this.sources.get(route.database).query(
        `WITH input AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb) AS i(id bigint, expected_version integer, from_status text,
             to_status text)
         ),
         free AS MATERIALIZED (
           SELECT r.id FROM ${route.schema}.reverse_requests r JOIN input i ON i.id = r.id
           ORDER BY r.id FOR UPDATE OF r SKIP LOCKED
         ),
         moved AS (
           UPDATE ${route.schema}.reverse_requests r SET status = i.to_status, version = r.version + 1,
             updated_at = $2::timestamptz
           FROM input i
           WHERE r.id = i.id AND r.version = i.expected_version AND r.status = i.from_status
             AND r.id IN (SELECT id FROM free)
           RETURNING r.*
         )
         SELECT ${REVERSE_REQUEST_COLUMNS} FROM moved r`,
        [
          JSON.stringify(
            steps.map((step) => ({
              id: step.id,
              expected_version: step.expectedVersion,
              from_status: step.fromStatus,
              to_status: step.toStatus,
            })),
          ),
          at.toISOString(),
        ],
      );
      return rows.map(reverseRequestFromRow);
    });
  }
}
