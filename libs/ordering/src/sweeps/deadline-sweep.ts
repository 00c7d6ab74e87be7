import { Logger } from '@nestjs/common';
import { FencedLease, FencedLock } from '@eos/cache';
import { ForwardAction, RefundReason } from '@eos/domain';
import { OrderSweepRepository, SweepDeadline, TransitionSubject } from '@eos/persistence';
import {
  Clock,
  LOGICAL_SHARDS,
  ShardRoute,
  ShardRouter,
  shardOfOrderId,
  forEachBounded,
} from '@eos/sharding';
import { FencedOutError } from '../fenced-out.error';
import { OrderActor } from '../order-actor';
import { OrderTransitions } from '../order-transitions';
import { sweptOrders } from '../ordering.metrics';

export type SweepName = 'expiry' | 'acceptance-deadline' | 'completion';

export interface SweepReport {
  readonly sweep: SweepName;
  /** Orders this pass moved. */
  applied: number;
  /** Due orders that another actor moved first (paid, accepted, confirmed): nothing to do. */
  skipped: number;
  failed: number;
  /** Shards left alone because another instance holds their lock (locked sweeps only). */
  busyShards: number;
  /** Shards abandoned because a newer lock holder had written (locked sweeps only). */
  fencedOutShards: number;
}

export interface DeadlineSweepSpec {
  readonly name: SweepName;
  readonly deadline: SweepDeadline;
  /** How long after the stored moment (paid_at, delivered_at) the deadline falls; 0 if stored as a deadline. */
  readonly windowMs: number;
  readonly action: ForwardAction;
  readonly actor: OrderActor;
  readonly reason: string;
  readonly refundReason?: RefundReason;
  /** Run each shard under a Redis lock whose fencing token the writes carry. */
  readonly locked: boolean;
}

export interface SweepSettings {
  readonly batchSize: number;
  readonly lockTtlMs: number;
  /** Shards moved at once in a pass: each holds one connection for its statement. */
  readonly parallelism: number;
}

/** The Redis lock of one sweep on one shard schema; instances agree on it, so one runs at a time. */
export function sweepLockName(sweep: SweepName, schema: string): string {
  return `sweep:${sweep}:${schema}`;
}

/**
 * One deadline sweep over the user shards: reads the orders past their deadline (one query per
 * database for all its shards), lets the domain decide on each, and writes each shard's moves in
 * one statement in which every order is guarded by the version it was decided on. A sweep that
 * races a payment, an accept or a confirmation either wins cleanly or leaves the order alone. Any
 * number of instances may sweep at once; each order still moves exactly once.
 */
export class DeadlineSweep {
  private readonly logger: Logger;

  constructor(
    private readonly spec: DeadlineSweepSpec,
    private readonly transitions: OrderTransitions,
    private readonly candidates: OrderSweepRepository,
    private readonly router: ShardRouter,
    private readonly lock: FencedLock,
    private readonly clock: Clock,
    private readonly settings: SweepSettings,
  ) {
    this.logger = new Logger(`sweep:${spec.name}`);
  }

  get name(): SweepName {
    return this.spec.name;
  }

  /** One pass over every user shard. */
  async runOnce(options: { batchSize?: number } = {}): Promise<SweepReport> {
    const routes = Array.from({ length: LOGICAL_SHARDS }, (_, shard) => this.router.routeUserShard(shard));
    return this.run(routes, options.batchSize ?? this.settings.batchSize);
  }

  /** One pass over one user shard (tests, and operators who want a shard now). */
  async runShard(shard: number, options: { batchSize?: number } = {}): Promise<SweepReport> {
    return this.run([this.router.routeUserShard(shard)], options.batchSize ?? this.settings.batchSize);
  }

  private async run(routes: readonly ShardRoute[], batchSize: number): Promise<SweepReport> {
    const report: SweepReport = {
      sweep: this.spec.name,
      applied: 0,
      skipped: 0,
      failed: 0,
      busyShards: 0,
      fencedOutShards: 0,
    };
    const cutoff = new Date(this.clock.now() - this.spec.windowMs);
    const byDatabase = new Map<string, ShardRoute[]>();
    for (const route of routes)
      byDatabase.set(route.database, [...(byDatabase.get(route.database) ?? []), route]);
    const byShard = new Map<number, TransitionSubject[]>();
    for (const [database, onDatabase] of byDatabase) {
      let due: TransitionSubject[];
      try {
        due = await this.candidates.dueOrders(database, onDatabase, this.spec.deadline, cutoff, batchSize);
      } catch (error) {
        // One unavailable database must not stop the sweep of the others.
        report.failed += 1;
        this.logger.warn(`cannot list due orders on ${database}: ${describe(error)}`);
        continue;
      }
      for (const subject of due) {
        const shard = shardOfOrderId(subject.order.id);
        byShard.set(shard, [...(byShard.get(shard) ?? []), subject]);
      }
    }
    await forEachBounded([...byShard], this.settings.parallelism, ([shard, subjects]) =>
      this.moveShard(shard, subjects, report),
    );
    return report;
  }

  /** Moves one shard's due orders in one statement, under the shard's lock for a locked sweep. */
  private async moveShard(shard: number, subjects: TransitionSubject[], report: SweepReport): Promise<void> {
    const route = this.router.routeUserShard(shard);
    let lease: FencedLease | null = null;
    if (this.spec.locked) {
      try {
        lease = await this.lock.acquire(sweepLockName(this.spec.name, route.schema), this.settings.lockTtlMs);
      } catch (error) {
        // Redis is down: this sweep waits for it; the customer can still confirm receipt meanwhile.
        report.failed += subjects.length;
        this.logger.warn(`cannot lock ${route.schema}: ${describe(error)}`);
        return;
      }
      if (!lease) {
        report.busyShards += 1;
        return;
      }
    }
    try {
      const result = await this.transitions.applyDue(route, subjects, this.spec.action, this.spec.actor, {
        reason: this.spec.reason,
        refundReason: this.spec.refundReason,
        fence: lease ? { name: this.spec.name, token: lease.token } : undefined,
      });
      report.applied += result.moved.length;
      report.skipped += result.passed;
      sweptOrders.inc({ sweep: this.spec.name, result: 'applied' }, result.moved.length);
      sweptOrders.inc({ sweep: this.spec.name, result: 'skipped' }, result.passed);
    } catch (error) {
      if (error instanceof FencedOutError) {
        report.fencedOutShards += 1;
        this.logger.warn(
          `lost the lease of ${route.schema} (token ${lease?.token}); a newer holder sweeps it`,
        );
        return;
      }
      report.failed += subjects.length;
      sweptOrders.inc({ sweep: this.spec.name, result: 'failed' }, subjects.length);
      this.logger.warn(`${route.schema}: ${describe(error)}`);
    } finally {
      await lease?.release().catch(() => undefined);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
