import type { ChaosScenario } from './chaos-scenarios';
import type { EventLedger } from './event-ledger';
import { attemptKey, type CommittedCheckout } from './shard-audit';
import type { CheckoutAttempt, RequestOutcome } from './steady-load';

export interface ScenarioTimeline {
  readonly loadStartedAt: number;
  readonly faultAt: number;
  readonly clearedAt: number;
  readonly loadStoppedAt: number;
}

/** What the suite read back after a scenario: the databases and the ledger. */
export interface ScenarioEvidence {
  readonly committed: ReadonlyMap<string, CommittedCheckout>;
  /** The merchant dimension's version of each order. */
  readonly projected: ReadonlyMap<string, number>;
  /** Merchant feed entries recorded more than once for one order version. */
  readonly feedDuplicates: number;
  readonly ledger: EventLedger;
}

/** One scenario's figures. `holds` says every count that must be 0 is 0. */
export interface ScenarioResult {
  readonly name: string;
  readonly fault: string;
  readonly failedDatabase: string | null;
  /** Requests sent: checkouts, and payments of every few created orders. */
  readonly sent: number;
  readonly succeeded: number;
  /** Failures by code; a payment's are prefixed `pay:`. */
  readonly failedByCode: Readonly<Record<string, number>>;
  /**
   * Accepted but not in the database: a 201 checkout whose order, lines or outbox row are missing
   * from its user shard, or a payment answered APPLIED whose order is not PAID. Must be 0.
   */
  readonly ordersLost: number;
  /**
   * A refusal (4xx) answered although the write committed, or a retry with the same key that got
   * another order than the one committed. Must be 0. (A 503 or no answer says "unknown, try again";
   * the retry below settles those.)
   */
  readonly wrongAnswers: number;
  /**
   * Failed requests that still failed when sent once more, with the same Idempotency-Key (or
   * notification id), after the fault had cleared. Must be 0.
   */
  readonly unsettled: number;
  /** No HTTP answer at all (refused, reset, client timeout), and of those, how many committed. */
  readonly unanswered: number;
  readonly unansweredCommitted: number;
  /** Outbox rows of the scenario's committed orders. */
  readonly eventsExpected: number;
  /** Expected events that never reached the suite's ledger queue. Must be 0. */
  readonly eventsLost: number;
  /**
   * Expected events published more than once (at least once: a relay whose mark-as-sent did not
   * commit publishes the rows again). Reported, allowed: consumers deduplicate.
   */
  readonly eventsRepublished: number;
  /** Events the merchant projector applied twice (duplicate feed entries). Must be 0. */
  readonly appliedTwice: number;
  /** Committed orders whose merchant-dimension row is missing or older than the order. Must be 0. */
  readonly projectionBehind: number;
  /** Failed requests of users whose shard database was not the failed one. Must be 0. */
  readonly errorsOutsideFailedShard: number;
  /** From the fault cleared to the first 201 of an affected user's checkout started after it. */
  readonly recoverMs: number | null;
  /**
   * From the fault cleared until every event of the orders committed before then had reached the
   * ledger (0: none was still missing when it cleared). Null when some never arrived.
   */
  readonly eventsCaughtUpMs: number | null;
  /** Median time to answer the requests that failed: how fast a failure is. */
  readonly failLatencyP50Ms: number | null;
  readonly okLatencyP99Ms: number | null;
  readonly timeline: Readonly<Record<keyof ScenarioTimeline, string>>;
  readonly holds: boolean;
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Every event id the committed orders wrote. */
export function expectedEventIds(committed: Iterable<CommittedCheckout>): string[] {
  const ids: string[] = [];
  for (const checkout of committed) for (const event of checkout.events) ids.push(event.eventId);
  return ids;
}

/** Committed orders the merchant dimension does not show at their version yet. */
export function projectionBehind(
  committed: Iterable<CommittedCheckout>,
  projected: ReadonlyMap<string, number>,
): CommittedCheckout[] {
  return [...committed].filter(
    (order) => order.hasOrder && (projected.get(order.orderId) ?? 0) < order.version,
  );
}

interface Tally {
  succeeded: number;
  ordersLost: number;
  wrongAnswers: number;
  unanswered: number;
  unansweredCommitted: number;
  unsettled: number;
  errorsOutside: number;
  readonly failedByCode: Record<string, number>;
  readonly failLatencies: number[];
  readonly okLatencies: number[];
}

function whole(found: CommittedCheckout | undefined, orderId: string | undefined): boolean {
  return (
    found !== undefined &&
    orderId !== undefined &&
    found.orderId === orderId &&
    found.hasOrder &&
    found.hasLines &&
    found.events.length > 0
  );
}

/** A refusal that claims the request was wrong (4xx): never true of a write that committed. */
function definiteRefusal(outcome: RequestOutcome): boolean {
  return outcome.status !== null && outcome.status >= 400 && outcome.status < 500;
}

function tallyRequests(
  scenario: ChaosScenario,
  attempts: readonly CheckoutAttempt[],
  committed: ReadonlyMap<string, CommittedCheckout>,
): Tally {
  const tally: Tally = {
    succeeded: 0,
    ordersLost: 0,
    wrongAnswers: 0,
    unanswered: 0,
    unansweredCommitted: 0,
    unsettled: 0,
    errorsOutside: 0,
    failedByCode: {},
    failLatencies: [],
    okLatencies: [],
  };
  const failed = (code: string, outcome: RequestOutcome, database: string, wasCommitted: boolean): void => {
    tally.failedByCode[code] = (tally.failedByCode[code] ?? 0) + 1;
    tally.failLatencies.push(outcome.finishedAt - outcome.startedAt);
    if (database !== scenario.failedDatabase) tally.errorsOutside += 1;
    if (outcome.status === null) {
      tally.unanswered += 1;
      if (wasCommitted) tally.unansweredCommitted += 1;
    }
    if (wasCommitted && definiteRefusal(outcome)) tally.wrongAnswers += 1;
  };
  for (const attempt of attempts) {
    const found = committed.get(attemptKey(attempt));
    const { outcome } = attempt;
    if (outcome.status === 201) {
      tally.succeeded += 1;
      tally.okLatencies.push(outcome.finishedAt - outcome.startedAt);
      if (!whole(found, outcome.orderId)) tally.ordersLost += 1;
    } else {
      failed(outcome.code, outcome, attempt.database, found !== undefined);
      // Sent again with the same key after the fault: it must succeed now, with the one order
      // the key names (the first attempt's, if that one committed after all).
      const retry = attempt.retry;
      if (retry?.status !== 201) tally.unsettled += 1;
      else if (!whole(found, retry.orderId)) tally.ordersLost += 1;
    }

    const payment = attempt.payment;
    if (payment === undefined) continue;
    const paid = found?.status === 'PAID';
    if (payment.outcome.status === 200) {
      tally.succeeded += 1;
      tally.okLatencies.push(payment.outcome.finishedAt - payment.outcome.startedAt);
      if (payment.outcome.code === 'APPLIED' && !paid) tally.ordersLost += 1;
    } else {
      failed(`pay:${payment.outcome.code}`, payment.outcome, attempt.database, paid);
      if (payment.retry?.status !== 200) tally.unsettled += 1;
      else if (!paid) tally.ordersLost += 1;
    }
  }
  return tally;
}

export function scenarioResult(input: {
  readonly scenario: ChaosScenario;
  readonly attempts: readonly CheckoutAttempt[];
  readonly evidence: ScenarioEvidence;
  readonly timeline: ScenarioTimeline;
}): ScenarioResult {
  const { scenario, attempts, evidence, timeline } = input;
  const tally = tallyRequests(scenario, attempts, evidence.committed);

  const orders = [...evidence.committed.values()];
  const eventIds = expectedEventIds(orders);
  let eventsLost = 0;
  let backlogArrived = 0;
  for (const order of orders) {
    for (const event of order.events) {
      const at = evidence.ledger.arrivedAt(event.eventId);
      if (at === undefined) eventsLost += 1;
      else if (event.createdAt < timeline.clearedAt) backlogArrived = Math.max(backlogArrived, at);
    }
  }
  const behind = projectionBehind(orders, evidence.projected).length;

  const affected = attempts.filter(
    (attempt) => scenario.failedDatabase === undefined || attempt.database === scenario.failedDatabase,
  );
  let firstRecovered: number | null = null;
  for (const { outcome } of affected) {
    if (outcome.startedAt < timeline.clearedAt || outcome.status !== 201) continue;
    firstRecovered =
      firstRecovered === null ? outcome.finishedAt : Math.min(firstRecovered, outcome.finishedAt);
  }
  const recoverMs = firstRecovered === null ? null : Math.max(0, firstRecovered - timeline.clearedAt);
  const eventsCaughtUpMs = eventsLost > 0 ? null : Math.max(0, backlogArrived - timeline.clearedAt);

  const iso = (at: number): string => new Date(at).toISOString();
  return {
    name: scenario.name,
    fault: scenario.fault,
    failedDatabase: scenario.failedDatabase ?? null,
    sent: attempts.length + attempts.filter((attempt) => attempt.payment !== undefined).length,
    succeeded: tally.succeeded,
    failedByCode: tally.failedByCode,
    ordersLost: tally.ordersLost,
    wrongAnswers: tally.wrongAnswers,
    unsettled: tally.unsettled,
    unanswered: tally.unanswered,
    unansweredCommitted: tally.unansweredCommitted,
    eventsExpected: eventIds.length,
    eventsLost,
    eventsRepublished: evidence.ledger.duplicatesOf(eventIds),
    appliedTwice: evidence.feedDuplicates,
    projectionBehind: behind,
    errorsOutsideFailedShard: tally.errorsOutside,
    recoverMs,
    eventsCaughtUpMs,
    failLatencyP50Ms: percentile(tally.failLatencies, 50),
    okLatencyP99Ms: percentile(tally.okLatencies, 99),
    timeline: {
      loadStartedAt: iso(timeline.loadStartedAt),
      faultAt: iso(timeline.faultAt),
      clearedAt: iso(timeline.clearedAt),
      loadStoppedAt: iso(timeline.loadStoppedAt),
    },
    holds:
      tally.ordersLost === 0 &&
      tally.wrongAnswers === 0 &&
      tally.unsettled === 0 &&
      eventsLost === 0 &&
      evidence.feedDuplicates === 0 &&
      behind === 0 &&
      tally.errorsOutside === 0 &&
      recoverMs !== null,
  };
}
