import { Logger } from '@nestjs/common';
import { Client, Pool } from 'pg';
import { Gauge, register } from 'prom-client';
import { PeriodicPass } from '@eos/common';
import {
  describeDiff,
  diffShardMaps,
  type ShardMap,
  type ShardRouter,
  type VersionedShardMap,
} from '@eos/sharding';
import type { ShardDataSources } from './shard-data-sources';
import { registerMoveWaiter } from './shard-moved';
import { SHARD_MAP_CHANNEL, ShardMapStore } from './shard-map.store';

export const shardMapVersion =
  (register.getSingleMetric('eos_shard_map_version') as Gauge | undefined) ??
  new Gauge({
    name: 'eos_shard_map_version',
    help: 'Version of the live shard map this process routes by (a move publishes the next one)',
  });

export interface ShardMapFollowerOptions {
  readonly catalogUrl: string;
  readonly store: ShardMapStore;
  readonly router: ShardRouter;
  /** Every pool set that must reach a database the map adds, opened before the map routes there. */
  readonly sources: readonly ShardDataSources[];
  /** The safety net under LISTEN/NOTIFY (a lost notification, a dropped listener connection). */
  readonly rereadMs: number;
}

const MOVE_POLL_MS = 20;

/**
 * Keeps this process's router on the newest version of the live shard map: told by NOTIFY on the
 * catalog, re-read on a timer in case a notification was missed, and asked directly by a write that
 * hit a moved shard's fence. Applying a version opens pools for added databases first, then swaps
 * the router's map, then tells listeners (the outbox relay re-plans its databases).
 */
export class ShardMapFollower {
  private readonly logger = new Logger('shard-map');
  private readonly pool: Pool;
  private readonly pass: PeriodicPass;
  private readonly listeners = new Set<(map: ShardMap) => void>();
  private listener: Client | undefined;
  private refreshing: Promise<void> | undefined;
  private unregister: (() => void) | undefined;
  private stopped = false;
  private versionNow = 0;

  constructor(private readonly options: ShardMapFollowerOptions) {
    this.pool = new Pool({ connectionString: options.catalogUrl, max: 2, connectionTimeoutMillis: 2000 });
    this.pool.on('error', () => undefined);
    this.pass = new PeriodicPass('shard-map-reread', options.rereadMs, () => this.refreshAndListen());
  }

  get version(): number {
    return this.versionNow;
  }

  /** Adopts the version the router was built from, then follows. */
  async start(initial: VersionedShardMap): Promise<void> {
    this.versionNow = initial.version;
    shardMapVersion.set(initial.version);
    this.unregister = registerMoveWaiter((schema, database, withinMs) =>
      this.awaitMove(schema, database, withinMs),
    );
    await this.listen().catch((error: unknown) =>
      this.logger.warn(`not listening for map changes yet: ${String(error)}`),
    );
    this.pass.start();
    // A version committed between the load and the LISTEN would otherwise wait for the timer.
    await this.refresh();
  }

  onChange(listener: (map: ShardMap) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads the catalog and applies a newer version if there is one; concurrent callers share one read. */
  refresh(): Promise<void> {
    this.refreshing ??= this.readAndApply().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unregister?.();
    await this.pass.stop();
    await this.refreshing?.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
    await this.pool.end();
  }

  private async refreshAndListen(): Promise<void> {
    if (!this.listener) await this.listen();
    await this.refresh();
  }

  private async readAndApply(): Promise<void> {
    if (this.stopped) return;
    const client = await this.pool.connect();
    let latest: VersionedShardMap | null;
    try {
      latest = await this.options.store.current(client);
    } finally {
      client.release();
    }
    if (latest && latest.version > this.versionNow) await this.apply(latest);
  }

  private async apply(next: VersionedShardMap): Promise<void> {
    const before = this.options.router.map;
    const diff = diffShardMaps(before, next.map);
    for (const sources of this.options.sources) {
      for (const [database, url] of Object.entries(next.map.databases)) {
        if (!sources.has(database)) await sources.open(database, url);
      }
    }
    this.options.router.replaceMap(next.map);
    this.versionNow = next.version;
    shardMapVersion.set(next.version);
    this.logger.log(`shard map version ${next.version}: ${describeDiff(diff)}`);
    for (const listener of this.listeners) listener(next.map);
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.options.catalogUrl, connectionTimeoutMillis: 2000 });
    const lost = (): void => {
      if (this.listener === client) this.listener = undefined;
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      if (message.payload?.startsWith(`${this.options.store.lineage}:`)) {
        this.refresh().catch((error: unknown) =>
          this.logger.warn(`shard map re-read failed: ${String(error)}`),
        );
      }
    });
    await client.connect();
    await client.query(`LISTEN ${SHARD_MAP_CHANNEL}`);
    this.listener = client;
  }

  private schemaDatabase(schema: string): string | undefined {
    const shard = Number(schema.slice(1));
    return schema.startsWith('u')
      ? this.options.router.map.user[shard]
      : this.options.router.map.merchant[shard];
  }

  /** True once the map routes `schema` away from `database`; false when it never did, or on timeout. */
  private async awaitMove(schema: string, database: string, withinMs: number): Promise<boolean> {
    const giveUpAt = Date.now() + withinMs;
    // Another app's map in the same process: not this follower's business.
    if (!this.options.router.databases().includes(database)) return false;
    for (;;) {
      const now = this.schemaDatabase(schema);
      if (now !== undefined && now !== database) return true;
      if (Date.now() >= giveUpAt || this.stopped) return false;
      await new Promise((done) => setTimeout(done, MOVE_POLL_MS));
      await this.refresh().catch(() => undefined);
    }
  }
}
