import { Inject, Injectable, Logger } from '@nestjs/common';
import { EOS_CONFIG, EosConfig } from '@eos/common';
import { ForwardAction } from '@eos/domain';
import { OrderActor, OrderTransitions } from '@eos/ordering';
import { TransitionSubject, VirtualFulfilmentRepository } from '@eos/persistence';
import { LOGICAL_SHARDS, ShardRoute, ShardRouter, shardOfOrderId } from '@eos/sharding';
import { VirtualFulfilmentService } from './virtual-fulfilment.service';

/**
 * How long a paid virtual order may wait for its order.virtual.paid event before the backstop
 * fulfils it: long enough that the consumer (and its retries) normally wins, short enough that a
 * lost or parked event costs a customer about a minute.
 */
export const FULFILMENT_GRACE_MS = 60_000;

export type VirtualSweepName = 'virtual-fulfilment' | 'virtual-completion';

export interface VirtualSweepReport {
  readonly sweep: VirtualSweepName;
  /** Orders this pass moved. */
  applied: number;
  /** Due orders someone else moved first: nothing to do. */
  skipped: number;
  failed: number;
}

export interface VirtualSweepOptions {
  /** Only these user shards (tests, operators); every shard by default. */
  readonly shards?: readonly number[];
  readonly batchSize?: number;
}

/**
 * The deadlines of virtual orders. Fulfilment backstop: PAID virtual orders older than a minute
 * are fulfilled here, whatever became of their event. Completion: FULFILLED orders untouched for
 * the after-sale window with no open reverse request are COMPLETED, so settlement sees them; the
 * version guard makes each move happen once however many instances sweep.
 */
@Injectable()
export class VirtualOrderSweeps {
  private readonly logger = new Logger('sweep:virtual');
  private readonly afterSaleWindowMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly repository: VirtualFulfilmentRepository,
    private readonly fulfilment: VirtualFulfilmentService,
    private readonly transitions: OrderTransitions,
    private readonly router: ShardRouter,
    @Inject(EOS_CONFIG) config: EosConfig,
  ) {
    this.afterSaleWindowMs = config.AFTER_SALE_WINDOW_HOURS * 3_600_000;
    this.batchSize = config.SWEEP_BATCH_SIZE;
  }

  async runOnce(options: VirtualSweepOptions = {}): Promise<VirtualSweepReport[]> {
    return [await this.fulfilOverdue(options), await this.completeDue(options)];
  }

  async fulfilOverdue(options: VirtualSweepOptions = {}): Promise<VirtualSweepReport> {
    const report: VirtualSweepReport = { sweep: 'virtual-fulfilment', applied: 0, skipped: 0, failed: 0 };
    const cutoff = new Date(Date.now() - FULFILMENT_GRACE_MS);
    for (const [database, routes] of this.byDatabase(options)) {
      let due: string[];
      try {
        due = await this.repository.paidNotFulfilled(
          database,
          routes,
          cutoff,
          options.batchSize ?? this.batchSize,
        );
      } catch (error) {
        report.failed += 1;
        this.logger.warn(`cannot list paid virtual orders on ${database}: ${describe(error)}`);
        continue;
      }
      for (const orderId of due) {
        try {
          const outcome = await this.fulfilment.fulfil(orderId, 'sweep');
          if (outcome === 'FULFILLED') report.applied += 1;
          else report.skipped += 1;
        } catch (error) {
          report.failed += 1;
          this.logger.warn(`cannot fulfil order ${orderId}: ${describe(error)}`);
        }
      }
    }
    return report;
  }

  async completeDue(options: VirtualSweepOptions = {}): Promise<VirtualSweepReport> {
    const report: VirtualSweepReport = { sweep: 'virtual-completion', applied: 0, skipped: 0, failed: 0 };
    const cutoff = new Date(Date.now() - this.afterSaleWindowMs);
    const byShard = new Map<number, TransitionSubject[]>();
    for (const [database, routes] of this.byDatabase(options)) {
      try {
        const due = await this.repository.fulfilledDueForCompletion(
          database,
          routes,
          cutoff,
          options.batchSize ?? this.batchSize,
        );
        for (const subject of due) {
          const shard = shardOfOrderId(subject.order.id);
          byShard.set(shard, [...(byShard.get(shard) ?? []), subject]);
        }
      } catch (error) {
        report.failed += 1;
        this.logger.warn(`cannot list fulfilled virtual orders on ${database}: ${describe(error)}`);
      }
    }
    for (const [shard, subjects] of byShard) {
      try {
        const result = await this.transitions.applyDue(
          this.router.routeUserShard(shard),
          subjects,
          ForwardAction.Complete,
          OrderActor.Completion,
          { reason: 'after-sale window closed' },
        );
        report.applied += result.moved.length;
        report.skipped += result.passed;
      } catch (error) {
        report.failed += subjects.length;
        this.logger.warn(`cannot complete virtual orders of shard ${shard}: ${describe(error)}`);
      }
    }
    return report;
  }

  private byDatabase(options: VirtualSweepOptions): Map<string, ShardRoute[]> {
    const shards = options.shards ?? Array.from({ length: LOGICAL_SHARDS }, (_, shard) => shard);
    const byDatabase = new Map<string, ShardRoute[]>();
    for (const shard of shards) {
      const route = this.router.routeUserShard(shard);
      byDatabase.set(route.database, [...(byDatabase.get(route.database) ?? []), route]);
    }
    return byDatabase;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
