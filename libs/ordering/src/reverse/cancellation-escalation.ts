import { ReverseAction, decideReverseStep, isDomainError } from '@eos/domain';
import { ReverseRequestRecord, ReverseRequestRepository, ReverseRequestStep } from '@eos/persistence';
import { Clock, ShardRoute, ShardRouter } from '@eos/sharding';
import { requestState } from './reverse-request.state';

export interface EscalationReport {
  /** Requests handed to customer service by this pass. */
  readonly escalated: readonly ReverseRequestRecord[];
  /** Due requests left as they were: decided or held by someone else meanwhile. */
  readonly passed: number;
  /** Databases that could not be read or written; their shards wait for the next pass. */
  readonly failedDatabases: readonly string[];
}

/**
 * Cancellation requests the merchant did not decide by their deadline go to customer service
 * (AWAITING_MERCHANT -> AWAITING_STAFF). A pass reads the due requests of every user shard (one
 * query per database), lets the domain decide each, and writes each shard's steps in one
 * statement guarded by the version decided on, skipping requests a merchant or staff decision holds
 * right now. No lock is needed: whichever instance sweeps, the guard makes each step happen once.
 */
export class CancellationEscalation {
  constructor(
    private readonly requests: ReverseRequestRepository,
    private readonly router: ShardRouter,
    private readonly clock: Clock,
    private readonly batchSize: number,
  ) {}

  async runOnce(): Promise<EscalationReport> {
    const byDatabase = this.router.userRoutesByDatabase();
    const now = new Date(this.clock.now());
    const escalated: ReverseRequestRecord[] = [];
    const failedDatabases: string[] = [];
    let passed = 0;
    await Promise.all(
      [...byDatabase].map(async ([database, routes]) => {
        try {
          const due = await this.requests.dueForEscalation(database, routes, now, this.batchSize);
          const steps = new Map<ShardRoute, ReverseRequestStep[]>();
          for (const { route, request } of due) {
            const step = this.decide(request);
            if (!step) {
              passed += 1;
              continue;
            }
            steps.set(route, [...(steps.get(route) ?? []), step]);
          }
          for (const [route, shardSteps] of steps) {
            const moved = await this.requests.applySteps(route, shardSteps, now);
            escalated.push(...moved);
            passed += shardSteps.length - moved.length;
          }
        } catch (error) {
          if (!isDomainError(error)) throw error;
          // SHARD_UNAVAILABLE: one database down must not stop the escalation of the others.
          failedDatabases.push(database);
        }
      }),
    );
    return { escalated, passed, failedDatabases };
  }

  private decide(request: ReverseRequestRecord): ReverseRequestStep | null {
    try {
      const step = decideReverseStep(requestState(request, request.amountCents), ReverseAction.Escalate, {
        twoPersonThresholdCents: 0,
      });
      return {
        id: request.id,
        expectedVersion: request.version,
        fromStatus: request.status,
        toStatus: step.status,
      };
    } catch (error) {
      if (isDomainError(error)) return null;
      throw error;
    }
  }
}
