import { AsyncResource } from 'node:async_hooks';
import { Logger } from '@nestjs/common';
import { OutboxRepository, type OutboxRow } from '@eos/persistence';
import type { ShardRoute } from '@eos/sharding';
import type { DataSource } from 'typeorm';
import type { EmissionFlags } from '../emission/emission.flags';
import { outboxCommitToConfirm, outboxPublished, outboxPublishFailures } from '../messaging.metrics';
import { PublishFailedError, type OrderEventPublisher } from '../order-event.publisher';
import { publishInOrderPerOrder } from './outbox-batch.publisher';
import { publishTraced } from './outbox-publish.tracing';
import { envelopeOf } from './outbox-row.envelope';

export interface DatabaseOutboxRelayOptions {
  readonly database: string;
  /** The relay's own small pool on this database, so checkout load never starves it. */
  readonly dataSource: DataSource;
  /** Every user shard the shard map puts on this database. */
  readonly routes: readonly ShardRoute[];
  readonly publisher: OrderEventPublisher;
  readonly emission: EmissionFlags;
  readonly batchSize: number;
  /** Relay transactions in flight at once on this database. */
  readonly concurrency: number;
  readonly pollMs: number;
  /**
   * Least time between the starts of two batches on this database. Under load the rows of the
   * commits in between share one relay transaction (one commit instead of one per order); a lone
   * commit after a quiet spell is still published at once.
   */
  readonly batchSpacingMs: number;
}

/** A shard with less than this many rows per transaction would make tiny batches while draining. */
const MIN_ROWS_PER_SHARD = 25;
/** Another relay holds the shard: look again after it has probably committed. */
const BUSY_RETRY_MS = 50;
const MAX_BACKOFF_MS = 2000;
/** Longest the relay spends at shutdown publishing rows signalled before it. */
const FINAL_FLUSH_MS = 5000;

interface BatchResult {
  /** Shards whose claim came back full: more rows are waiting. */
  readonly more: number[];
  /** Shards another relay instance holds right now. */
  readonly busy: number[];
  readonly errors: unknown[];
}

/**
 * Publishes the outbox rows of the user shards on one physical database.
 *
 * Shards are marked dirty by a signal from this process's commits, by a backstop poll that finds
 * shards with unsent rows, and by a batch that came back full. Each transaction takes every dirty
 * shard it can: the shard's relay lock (`pg_try_advisory_xact_lock`, so one relay per shard across
 * all instances), its unsent rows in id order (FOR UPDATE SKIP LOCKED), publishes them with
 * confirms, marks the confirmed ones sent and commits. One transaction covers many shards, so the
 * relay's throughput does not shrink as the shard count grows.
 *
 * Anything that fails leaves the rows unsent: the next pass publishes them again (at least once;
 * consumers are idempotent). While the broker is away or emission is off nothing is attempted.
 */
export class DatabaseOutboxRelay {
  private readonly logger: Logger;
  private readonly outbox = new OutboxRepository();
  private readonly byShard: ReadonlyMap<number, ShardRoute>;
  private readonly dirty = new Set<number>();
  private readonly inFlight = new Set<number>();
  private readonly batches = new Set<Promise<void>>();
  private running = 0;
  private stopped = true;
  private pollTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pausedUntil = 0;
  private failureStreak = 0;
  private lastBatchAt = 0;
  private spacingTimer: NodeJS.Timeout | undefined;
  /**
   * The relay's own async context. A wake-up comes from a request (checkout, a gRPC call with a
   * deadline); the batches it starts must not inherit that request's async-local state, such as
   * its query deadline, which would cut the relay's work short when the request's time is up.
   */
  private readonly context = new AsyncResource('eos-outbox-relay');

  constructor(private readonly options: DatabaseOutboxRelayOptions) {
    this.logger = new Logger(`outbox-relay:${options.database}`);
    this.byShard = new Map(options.routes.map((route) => [route.shard, route]));
  }

  start(): void {
    this.stopped = false;
    this.schedulePoll(0);
  }

  /**
   * Publishes what this process signalled and has not sent yet (within FINAL_FLUSH_MS, while the
   * broker and emission allow: a shutdown that comes after the last requests sends their events
   * rather than leave them to another instance's poll), then stops polling and waits for the
   * transactions in flight to finish (and commit what they sent).
   */
  async stop(): Promise<void> {
    const flushUntil = Date.now() + FINAL_FLUSH_MS;
    while (this.dirty.size > 0 && this.canPublish() && Date.now() < flushUntil) {
      this.kick();
      await Promise.race([Promise.all([...this.batches]), new Promise((done) => setTimeout(done, 50))]);
    }
    this.stopped = true;
    clearTimeout(this.pollTimer);
    clearTimeout(this.spacingTimer);
    await this.polling;
    while (this.batches.size > 0) await Promise.all([...this.batches]);
  }

  covers(shard: number): boolean {
    return this.byShard.has(shard);
  }

  /** A commit on `shard` wrote outbox rows. */
  wake(shard: number): void {
    if (!this.byShard.has(shard)) return;
    this.dirty.add(shard);
    this.context.runInAsyncScope(() => this.kick());
  }

  /** Looks for unsent rows now, e.g. when emission was switched back on. */
  pollNow(): void {
    this.schedulePoll(0);
  }

  private schedulePoll(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => {
      this.polling ??= this.poll().finally(() => {
        this.polling = undefined;
        this.schedulePoll(this.options.pollMs);
      });
    }, delayMs);
    this.pollTimer.unref();
  }

  private async poll(): Promise<void> {
    if (!this.canPublish()) return;
    try {
      const shards = await this.outbox.shardsWithUnsent(
        this.options.dataSource,
        this.options.routes,
        this.options.emission.current().heldTypes,
      );
      for (const shard of shards) this.dirty.add(shard);
      this.kick();
    } catch (error) {
      this.fail(error);
    }
  }

  private canPublish(): boolean {
    return (
      !this.stopped &&
      this.options.emission.current().global &&
      this.options.publisher.isConnected() &&
      Date.now() >= this.pausedUntil
    );
  }

  private kick(): void {
    while (this.running < this.options.concurrency && this.canPublish()) {
      const shards = [...this.dirty].filter((shard) => !this.inFlight.has(shard));
      if (shards.length === 0) return;
      const wait = this.lastBatchAt + this.options.batchSpacingMs - Date.now();
      if (wait > 0) {
        this.spacingTimer ??= setTimeout(() => {
          this.spacingTimer = undefined;
          this.kick();
        }, wait);
        return;
      }
      this.lastBatchAt = Date.now();
      for (const shard of shards) {
        this.dirty.delete(shard);
        this.inFlight.add(shard);
      }
      this.running += 1;
      const batch = this.runBatch(shards);
      this.batches.add(batch);
      void batch.finally(() => this.batches.delete(batch));
    }
  }

  private async runBatch(shards: number[]): Promise<void> {
    try {
      const result = await this.batch(shards);
      for (const shard of result.more) this.dirty.add(shard);
      if (result.busy.length > 0) this.retryLater(result.busy, BUSY_RETRY_MS);
      if (result.errors.length > 0) this.fail(result.errors[0]);
      else this.failureStreak = 0;
    } catch (error) {
      this.fail(error);
    } finally {
      for (const shard of shards) this.inFlight.delete(shard);
      this.running -= 1;
      this.kick();
    }
  }

  private async batch(shards: number[]): Promise<BatchResult> {
    const confirmedAt = new Map<OutboxRow, number>();
    const result = await this.options.dataSource.transaction(async (tx) => {
      const locked = await this.outbox.lockShards(tx, shards);
      const busy = shards.filter((shard) => !locked.includes(shard));
      if (locked.length === 0) return { more: [], busy, errors: [] };
      const routes = locked.map((shard) => this.route(shard));
      const perShard = Math.max(Math.ceil(this.options.batchSize / routes.length), MIN_ROWS_PER_SHARD);
      const rows = await this.outbox.claim(tx, routes, perShard, this.options.emission.current().heldTypes);
      const publication = await publishInOrderPerOrder(rows, (row) =>
        publishTraced(row, (headers) =>
          this.options.publisher.publishEvent(envelopeOf(row), row.createdAt, headers),
        ),
      );
      const sent = new Map<ShardRoute, string[]>();
      for (const { row, confirmedAt: at } of publication.confirmed) {
        confirmedAt.set(row, at);
        const route = this.route(row.shard);
        const ids = sent.get(route);
        if (ids) ids.push(row.id);
        else sent.set(route, [row.id]);
      }
      await this.outbox.markPublished(tx, sent);
      const claimed = new Map<number, number>();
      for (const row of rows) claimed.set(row.shard, (claimed.get(row.shard) ?? 0) + 1);
      const more = locked.filter((shard) => (claimed.get(shard) ?? 0) >= perShard);
      return { more, busy, errors: publication.errors };
    });
    // Counted once the marks are committed: a batch whose commit fails is published again.
    for (const [row, at] of confirmedAt) {
      outboxCommitToConfirm.observe(Math.max(0, at - row.createdAt.getTime()) / 1000);
      outboxPublished.inc({ event_type: row.eventType });
    }
    return result;
  }

  private route(shard: number): ShardRoute {
    const route = this.byShard.get(shard);
    if (!route) throw new Error(`shard ${shard} is not on database ${this.options.database}`);
    return route;
  }

  private retryLater(shards: readonly number[], delayMs: number): void {
    setTimeout(() => {
      for (const shard of shards) this.dirty.add(shard);
      this.kick();
    }, delayMs).unref();
  }

  /** Backs off (doubling up to 2 s) so a sick broker or database is not hammered; the poll resumes. */
  private fail(error: unknown): void {
    const reason = error instanceof PublishFailedError ? error.reason : 'database';
    outboxPublishFailures.inc({ reason });
    this.failureStreak += 1;
    const backoff = Math.min(this.options.pollMs * 2 ** (this.failureStreak - 1), MAX_BACKOFF_MS);
    this.pausedUntil = Date.now() + backoff;
    if (this.failureStreak === 1) {
      this.logger.warn(
        `publishing paused for ${backoff} ms, rows stay in the outbox: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    // Shards that were dirty are found again by the poll once the pause is over.
  }
}
