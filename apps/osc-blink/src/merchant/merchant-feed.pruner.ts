import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { EOS_CONFIG, EosConfig, PeriodicPass } from '@eos/common';
import { MerchantFeedRepository } from '@eos/persistence';
import { LOGICAL_SHARDS, ShardRouter } from '@eos/sharding';
import { feedEntriesPruned } from '../grpc/blink.metrics';

/** Entries deleted per statement: short transactions, so pruning never holds many locks at once. */
const PRUNE_CHUNK = 5000;
/** Chunks per merchant shard and pass; a large backlog of old entries goes over a few passes. */
const MAX_CHUNKS_PER_PASS = 20;

/**
 * Keeps each merchant feed to FEED_RETENTION_HOURS: every FEED_PRUNE_INTERVAL_MS (after the
 * previous pass ends; 0 leaves it to other instances) deletes the older entries of every merchant
 * shard. Several instances pruning at once only delete the same entries once.
 */
@Injectable()
export class MerchantFeedPruner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('feed-pruner');
  private readonly periodic: PeriodicPass;
  private readonly retentionMs: number;

  constructor(
    private readonly feed: MerchantFeedRepository,
    private readonly router: ShardRouter,
    @Inject(EOS_CONFIG) config: EosConfig,
  ) {
    this.retentionMs = config.FEED_RETENTION_HOURS * 3_600_000;
    this.periodic = new PeriodicPass('feed-pruner', config.FEED_PRUNE_INTERVAL_MS, async () => {
      const deleted = await this.prune();
      if (deleted > 0) this.logger.log(`pruned ${deleted} merchant feed entries`);
    });
  }

  onApplicationBootstrap(): void {
    this.periodic.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.periodic.stop();
  }

  /** One pass now, after a scheduled pass in flight, so passes never overlap; returns the entries deleted. */
  pruneOnce(): Promise<number> {
    return this.periodic.runExclusive(() => this.prune());
  }

  private async prune(): Promise<number> {
    const recordedBefore = new Date(Date.now() - this.retentionMs);
    let deleted = 0;
    for (let shard = 0; shard < LOGICAL_SHARDS; shard += 1) {
      const route = this.router.routeMerchantShard(shard);
      for (let chunk = 0; chunk < MAX_CHUNKS_PER_PASS; chunk += 1) {
        const gone = await this.feed.prune(route, recordedBefore, PRUNE_CHUNK);
        deleted += gone;
        feedEntriesPruned.inc(gone);
        if (gone < PRUNE_CHUNK) break;
      }
    }
    return deleted;
  }
}
