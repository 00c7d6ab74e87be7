import { Logger } from '@nestjs/common';
import { OutboxRepository } from '@eos/persistence';
import type { ShardRoute } from '@eos/sharding';
import type { DataSource } from 'typeorm';
import { outboxPruned } from '../messaging.metrics';

export interface OutboxPrunerOptions {
  /** The relay pools, one per database, with the user shards each holds. */
  readonly databases: readonly { readonly dataSource: DataSource; readonly routes: readonly ShardRoute[] }[];
  readonly retentionHours: number;
  readonly intervalMs: number;
}

/** Rows deleted per statement: short transactions, so pruning never holds many locks at once. */
const PRUNE_CHUNK = 5000;
/** Chunks per shard and pass; a large backlog of old rows goes over a few passes. */
const MAX_CHUNKS_PER_PASS = 20;

/**
 * Deletes outbox rows published longer ago than the retention, every `intervalMs`. Unsent rows
 * are never touched. Several instances pruning at once only delete the same rows once.
 */
export class OutboxPruner {
  private readonly logger = new Logger('outbox-pruner');
  private readonly outbox = new OutboxRepository();
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: OutboxPrunerOptions) {}

  start(): void {
    if (this.options.intervalMs > 0) this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pass;
  }

  /** One pass over every shard; returns the rows deleted. */
  async pruneOnce(): Promise<number> {
    const cutoff = new Date(Date.now() - this.options.retentionHours * 3_600_000);
    let deleted = 0;
    for (const { dataSource, routes } of this.options.databases) {
      for (const route of routes) {
        for (let chunk = 0; chunk < MAX_CHUNKS_PER_PASS && !this.stopped; chunk += 1) {
          const gone = await this.outbox.prune(dataSource, route, cutoff, PRUNE_CHUNK);
          deleted += gone;
          outboxPruned.inc(gone);
          if (gone < PRUNE_CHUNK) break;
        }
      }
    }
    return deleted;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.pass = this.pruneOnce()
        .then(
          (deleted) => {
            if (deleted > 0) this.logger.log(`pruned ${deleted} published outbox rows`);
          },
          (error: unknown) =>
            this.logger.warn(`prune pass failed: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => {
          this.pass = undefined;
          this.schedule();
        });
    }, this.options.intervalMs);
    this.timer.unref();
  }
}
