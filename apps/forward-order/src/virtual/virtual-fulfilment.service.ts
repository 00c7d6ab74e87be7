import { Injectable } from '@nestjs/common';
import {
  DomainError,
  DomainErrorCode,
  ForwardAction,
  OrderStatus,
  decideForwardTransition,
} from '@eos/domain';
import { OutboxSignal } from '@eos/messaging';
import { transitionWrite } from '@eos/ordering';
import { ShardTransactions, VirtualFulfilmentRepository } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import { virtualFulfilments } from './virtual-goods.metrics';
import { VirtualBusinessLines } from './virtual-business-lines.registry';

/** The history's actor of a fulfilment. */
export const FULFILMENT_ACTOR = 'system:virtual-fulfilment';

/** What triggered a fulfilment attempt: the order.virtual.paid event, or the backstop sweep. */
export type FulfilmentTrigger = 'event' | 'sweep';

/** `FULFILLED` by this call; `NOT_DUE`: not (or no longer) a paid order, nothing to do. */
export type FulfilmentOutcome = 'FULFILLED' | 'NOT_DUE';

const MAX_ATTEMPTS = 5;
const UNIQUE_VIOLATION = '23505';

/**
 * Fulfils a paid virtual order: PAID -> FULFILLED, decided by the domain on the order as read, and
 * written together with whatever the line's handler issues, in one transaction guarded by the
 * version the decision was made on. Of two deliveries of the same event (or an event and the
 * sweep) exactly one moves the order and issues the goods; the other finds it no longer PAID.
 */
@Injectable()
export class VirtualFulfilmentService {
  constructor(
    private readonly lines: VirtualBusinessLines,
    private readonly repository: VirtualFulfilmentRepository,
    private readonly transactions: ShardTransactions,
    private readonly router: ShardRouter,
    private readonly outboxSignal: OutboxSignal,
  ) {}

  async fulfil(orderId: string, trigger: FulfilmentTrigger): Promise<FulfilmentOutcome> {
    const route = this.router.routeOrder(orderId);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const loaded = await this.repository.load(route, orderId);
      // The event is written in the order's own transaction: a missing order is a fault, so fail (retry, park).
      if (!loaded) throw new Error(`virtual order ${orderId} not found`);
      const { subject, extension } = loaded;
      const line = extension.businessLine;
      if (subject.order.status !== OrderStatus.Paid) {
        virtualFulfilments.inc({ line, trigger, outcome: 'not_due' });
        return 'NOT_DUE';
      }
      const registered = this.lines.find(line);
      if (!registered) {
        // Another instance (or a later deploy) may sell it: fail, so the event is retried elsewhere.
        virtualFulfilments.inc({ line, trigger, outcome: 'failed' });
        throw new Error(`virtual business line ${JSON.stringify(line)} is not configured here`);
      }
      const at = new Date();
      const transition = decideForwardTransition(subject.order, ForwardAction.Fulfil, at, subject);
      const write = transitionWrite([transition], FULFILMENT_ACTOR, at, { reason: `${line} goods issued` });
      let moved: boolean;
      try {
        moved = await this.transactions.run(route, async (tx) => {
          if (!(await this.repository.applyTransition(tx, write))) return false;
          const fulfilment = await registered.handler.fulfil(transition.after, extension, tx);
          await this.repository.recordFulfilment(tx, orderId, fulfilment, at);
          return true;
        });
      } catch (error) {
        // A concurrent fulfilment wrote the same history version first: decide again on fresh data.
        if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) {
          virtualFulfilments.inc({ line, trigger, outcome: 'failed' });
          throw error;
        }
        moved = false;
      }
      if (moved) {
        this.outboxSignal.notify(route.shard);
        virtualFulfilments.inc({ line, trigger, outcome: 'fulfilled' });
        return 'FULFILLED';
      }
    }
    throw new DomainError(DomainErrorCode.VersionConflict, `order ${orderId} kept changing; try again`);
  }
}
