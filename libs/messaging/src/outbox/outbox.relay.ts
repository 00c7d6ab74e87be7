import { Logger } from '@nestjs/common';
import type { EosConfig } from '@eos/common';
import { ShardDataSources, type ShardMapFollower } from '@eos/persistence';
import { LOGICAL_SHARDS, type ShardRouter } from '@eos/sharding';
import type { EmissionFlags } from '../emission/emission.flags';
import type { OrderEventPublisher } from '../order-event.publisher';
import { DatabaseOutboxRelay } from './database-outbox.relay';
import { OutboxBacklogMonitor } from './outbox-backlog.monitor';
import { OutboxPruner } from './outbox.pruner';
import type { OutboxSignal } from './outbox.signal';

/**
 * This process's outbox relay: one per process, covering every user shard of every physical
 * database in the shard map (so any instance publishes any shard's rows, and a shard's rows are
 * published by whichever instance holds its relay lock). Also prunes published rows and keeps the
 * backlog gauge.
 */
export class OutboxRelay {
  private readonly logger = new Logger('outbox-relay');
  private pools: ShardDataSources | undefined;
  private relays: DatabaseOutboxRelay[] = [];
  private pruner: OutboxPruner | undefined;
  private monitor: OutboxBacklogMonitor | undefined;
  private replanning: Promise<void> = Promise.resolve();
  private emissionHooked = false;

  constructor(
    private readonly config: EosConfig,
    private readonly router: ShardRouter,
    private readonly publisher: OrderEventPublisher,
    private readonly emission: EmissionFlags,
    private readonly signal: OutboxSignal,
    follower?: Pick<ShardMapFollower, 'onChange'>,
  ) {
    // A shard moved: the relay's databases and their shards are planned again, so the shard's
    // outbox (and its relay lock) is served on its new database. Rows the old copy still shows as
    // unsent were copied unsent, so they are published from the new one (at least once).
    follower?.onChange(() => {
      this.replanning = this.replanning
        .then(() => this.replan())
        .catch((error: unknown) => {
          this.logger.error(`re-planning the relay after a shard map change failed: ${String(error)}`);
        });
    });
  }

  private async replan(): Promise<void> {
    if (!this.running) return;
    await this.stop();
    await this.start();
  }

  get running(): boolean {
    return this.pools !== undefined;
  }

  async start(): Promise<void> {
    if (this.pools) return;
    // Its own pools: checkout saturating the app's pools must not delay events. One connection
    // per transaction in flight plus one for the poll, pruning and the backlog gauge.
    // The map in force now (not the one the app started with): a shard may have moved since.
    const pools = new ShardDataSources(this.router.map, {
      poolSize: this.config.OUTBOX_RELAY_CONCURRENCY + 1,
      statementTimeoutMs: this.config.PG_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: this.config.PG_CONNECT_TIMEOUT_MS,
      applicationName: 'eos-outbox-relay',
    });
    await pools.initialize();
    this.pools = pools;
    const databases = pools.entries().map(([database, dataSource]) => ({
      database,
      dataSource,
      routes: this.router.userRoutesOn(database),
    }));
    this.relays = databases.map(
      ({ database, dataSource, routes }) =>
        new DatabaseOutboxRelay({
          database,
          dataSource,
          routes,
          publisher: this.publisher,
          emission: this.emission,
          batchSize: this.config.OUTBOX_BATCH_SIZE,
          concurrency: this.config.OUTBOX_RELAY_CONCURRENCY,
          pollMs: this.config.OUTBOX_POLL_MS,
          batchSpacingMs: this.config.OUTBOX_BATCH_SPACING_MS,
        }),
    );
    this.signal.listen((shard) => {
      for (const relay of this.relays) if (relay.covers(shard)) relay.wake(shard);
    });
    if (!this.emissionHooked) {
      // Once per relay: a restart after a shard map change must not stack listeners.
      this.emission.onChange(() => this.pollNow());
      this.emissionHooked = true;
    }
    for (const relay of this.relays) relay.start();
    this.pruner = new OutboxPruner({
      databases,
      retentionHours: this.config.OUTBOX_RETENTION_HOURS,
      intervalMs: this.config.OUTBOX_PRUNE_INTERVAL_MS,
    });
    this.pruner.start();
    this.monitor = new OutboxBacklogMonitor(databases);
    this.monitor.start();
    this.logger.log(
      `relaying the outbox of ${LOGICAL_SHARDS} user shards on ${databases.length} database(s)`,
    );
  }

  pollNow(): void {
    for (const relay of this.relays) relay.pollNow();
  }

  /** Finishes the batches in flight (their rows are marked sent), then closes the relay's pools. */
  async stop(): Promise<void> {
    this.signal.listen(undefined);
    await Promise.all(this.relays.map((relay) => relay.stop()));
    await this.pruner?.stop();
    await this.monitor?.stop();
    await this.pools?.destroy();
    this.pools = undefined;
    this.relays = [];
  }

  /** One prune pass now (the CLI and tests; the relay also prunes on its own schedule). */
  async pruneOnce(): Promise<number> {
    if (!this.pruner) throw new Error('the outbox relay is not running');
    return this.pruner.pruneOnce();
  }
}
