import { OutboxRepository } from '@eos/persistence';
import type { ShardRoute } from '@eos/sharding';
import type { DataSource } from 'typeorm';
import { outboxBacklog, outboxOldestUnsent } from '../messaging.metrics';

const INTERVAL_MS = 5000;

/**
 * Keeps `eos_outbox_backlog{shard}` and `eos_outbox_oldest_unsent_seconds{shard}` current: one
 * query per database every few seconds.
 */
export class OutboxBacklogMonitor {
  private readonly outbox = new OutboxRepository();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly databases: readonly {
      readonly dataSource: DataSource;
      readonly routes: readonly ShardRoute[];
    }[],
  ) {}

  start(): void {
    const tick = (): void => {
      this.running ??= this.measure().finally(() => {
        this.running = undefined;
      });
    };
    tick();
    this.timer = setInterval(tick, INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async measure(): Promise<void> {
    for (const { dataSource, routes } of this.databases) {
      try {
        const backlog = await this.outbox.unsentByShard(dataSource, routes);
        for (const route of routes) {
          const shard = backlog.get(route.shard);
          outboxBacklog.set({ shard: route.schema }, shard?.unsent ?? 0);
          outboxOldestUnsent.set({ shard: route.schema }, shard?.oldestAgeSeconds ?? 0);
        }
      } catch {
        // The database is unreachable: the gauge keeps its last values and the relay reports the outage.
      }
    }
  }
}
