import { ReverseKind, ReverseStatus } from '@eos/domain';
import { ReverseRequestRecord, ReverseRequestRepository, ReverseRequestStep } from '@eos/persistence';
import { ShardRoute, ShardRouter, defaultShardMap } from '@eos/sharding';
import { CancellationEscalation } from './cancellation-escalation';

const NOW = Date.UTC(2026, 0, 1, 12);
const router = new ShardRouter(defaultShardMap('postgres://localhost'));

function request(
  id: string,
  kind: ReverseRequestRecord['kind'],
  status: ReverseStatus,
): ReverseRequestRecord {
  const at = new Date(NOW - 600_000);
  return {
    id,
    orderId: '10',
    userId: '7',
    merchantId: '3',
    kind,
    status,
    reason: 'changed my mind',
    amountCents: 0,
    currency: 'CNY',
    lines: [],
    requestedBy: 'customer:7',
    firstApprover: null,
    decidedBy: null,
    decisionReason: null,
    bearer: null,
    merchantDeadline: new Date(NOW - 1000),
    version: 4,
    createdAt: at,
    updatedAt: at,
  };
}

/** Due requests on shard 5, and a writer that lets through all but the ids it is told were taken. */
function fakeRequests(due: ReverseRequestRecord[], taken: ReadonlySet<string>) {
  const written: ReverseRequestStep[] = [];
  const repository = {
    dueForEscalation: async (database: string, routes: readonly ShardRoute[]) =>
      due
        .map((record) => ({ route: routes.find((route) => route.shard === 5), request: record }))
        .filter((entry) => entry.route?.database === database),
    applySteps: async (_route: ShardRoute, steps: readonly ReverseRequestStep[]) => {
      written.push(...steps);
      return steps
        .filter((step) => !taken.has(step.id))
        .map((step) => ({ ...due.find((record) => record.id === step.id)!, status: step.toStatus }));
    },
  } as unknown as ReverseRequestRepository;
  return { repository, written };
}

describe('CancellationEscalation', () => {
  it('hands due cancellation requests to customer service, guarded by the version it decided on', async () => {
    const due = [
      request('101', ReverseKind.Cancellation, ReverseStatus.AwaitingMerchant),
      request('102', ReverseKind.Cancellation, ReverseStatus.AwaitingMerchant),
    ];
    const { repository, written } = fakeRequests(due, new Set(['102']));
    const report = await new CancellationEscalation(repository, router, { now: () => NOW }, 100).runOnce();
    expect(written).toEqual([
      { id: '101', expectedVersion: 4, fromStatus: 'AWAITING_MERCHANT', toStatus: 'AWAITING_STAFF' },
      { id: '102', expectedVersion: 4, fromStatus: 'AWAITING_MERCHANT', toStatus: 'AWAITING_STAFF' },
    ]);
    // 102 was decided by its merchant meanwhile: left as it is, counted as passed.
    expect(report.escalated.map((record) => record.id)).toEqual(['101']);
    expect([report.passed, report.failedDatabases]).toEqual([1, []]);
  });

  it('leaves what the domain does not escalate, writing nothing for it', async () => {
    const { repository, written } = fakeRequests(
      [request('201', ReverseKind.Refund, ReverseStatus.AwaitingMerchant)],
      new Set(),
    );
    const report = await new CancellationEscalation(repository, router, { now: () => NOW }, 100).runOnce();
    expect(written).toEqual([]);
    expect([report.escalated, report.passed]).toEqual([[], 1]);
  });
});
