import { FencedLock } from '@eos/cache';
import { ForwardAction, RefundReason } from '@eos/domain';
import { OrderSweepRepository } from '@eos/persistence';
import { Clock, ShardRouter } from '@eos/sharding';
import { OrderActor } from '../order-actor';
import { OrderTransitions } from '../order-transitions';
import { DeadlineSweep, DeadlineSweepSpec, SweepReport, SweepSettings } from './deadline-sweep';

export interface OrderSweepWindows {
  readonly acceptanceWindowMs: number;
  readonly afterSaleWindowMs: number;
}

/**
 * The three deadlines of an order's forward life. Expiry and acceptance need no lock: the
 * version guard alone makes each move happen once, whoever sweeps. Completion runs one instance
 * per shard under a fenced Redis lock.
 */
export class OrderSweeps {
  /** Unpaid orders past their payment deadline: cancelled. */
  readonly expiry: DeadlineSweep;
  /** Paid orders not accepted within the acceptance window: rejected, cancelled, refund due. */
  readonly acceptanceDeadline: DeadlineSweep;
  /** Delivered orders whose after-sale window closed with no open reverse request: completed. */
  readonly completion: DeadlineSweep;

  constructor(
    transitions: OrderTransitions,
    candidates: OrderSweepRepository,
    router: ShardRouter,
    lock: FencedLock,
    clock: Clock,
    windows: OrderSweepWindows,
    settings: SweepSettings,
  ) {
    const sweep = (spec: DeadlineSweepSpec): DeadlineSweep =>
      new DeadlineSweep(spec, transitions, candidates, router, lock, clock, settings);
    this.expiry = sweep({
      name: 'expiry',
      deadline: 'payment',
      windowMs: 0,
      action: ForwardAction.Expire,
      actor: OrderActor.Expiry,
      reason: 'payment deadline passed',
      locked: false,
    });
    this.acceptanceDeadline = sweep({
      name: 'acceptance-deadline',
      deadline: 'acceptance',
      windowMs: windows.acceptanceWindowMs,
      action: ForwardAction.Reject,
      actor: OrderActor.AcceptanceDeadline,
      reason: 'not accepted in time',
      refundReason: RefundReason.AcceptanceTimeout,
      locked: false,
    });
    this.completion = sweep({
      name: 'completion',
      deadline: 'after-sale',
      windowMs: windows.afterSaleWindowMs,
      action: ForwardAction.Complete,
      actor: OrderActor.Completion,
      reason: 'after-sale window closed',
      locked: true,
    });
  }

  /** One pass of every sweep, one after the other. */
  async runOnce(): Promise<SweepReport[]> {
    return [
      await this.expiry.runOnce(),
      await this.acceptanceDeadline.runOnce(),
      await this.completion.runOnce(),
    ];
  }
}
