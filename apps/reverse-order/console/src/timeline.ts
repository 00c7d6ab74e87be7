import type { AuditEntry, HistoryEntry, OrderCase, Refund, ReverseRequest } from './api-types';
import { formatCents } from './money';

/** The four sources of an order's case, each drawn in its own style. */
export type TimelineKind = 'status' | 'request' | 'refund' | 'audit';

export interface TimelineEntry {
  /** Unique within a case; stable across reloads (for focus and tests). */
  readonly key: string;
  readonly at: string;
  readonly kind: TimelineKind;
  readonly title: string;
  readonly lines: readonly string[];
  /** Set on the entry of a request still open: its actions hang there. */
  readonly openRequest?: ReverseRequest;
}

const OPEN: ReadonlySet<string> = new Set([
  'AWAITING_MERCHANT',
  'AWAITING_STAFF',
  'AWAITING_SECOND_APPROVAL',
]);

export function isOpen(request: ReverseRequest): boolean {
  return OPEN.has(request.status);
}

/** Same instant (one transaction often writes several): the cause before its consequences. */
const KIND_ORDER: Readonly<Record<TimelineKind, number>> = { status: 0, request: 1, refund: 2, audit: 3 };

const STATUS_WORDS: Readonly<Record<string, string>> = {
  AWAITING_MERCHANT: 'waiting for the merchant',
  AWAITING_STAFF: 'waiting for customer service',
  AWAITING_SECOND_APPROVAL: 'waiting for a second approval',
};

function present<T>(value: T | null | undefined, line: (value: T) => string): string[] {
  return value === null || value === undefined || value === '' ? [] : [line(value)];
}

function historyEntry(entry: HistoryEntry): TimelineEntry {
  return {
    key: `status-${entry.version}`,
    at: entry.at,
    kind: 'status',
    title:
      entry.fromStatus === null
        ? `Order placed: ${entry.toStatus}`
        : `${entry.fromStatus} → ${entry.toStatus}`,
    lines: [`by ${entry.actor}`, ...present(entry.reason, (reason) => `reason: ${reason}`)],
  };
}

function requestEntries(request: ReverseRequest, itemNames: ReadonlyMap<string, string>): TimelineEntry[] {
  const what = request.kind === 'REFUND' ? 'Refund request' : 'Cancellation request';
  const money = formatCents(request.amountCents, request.currency);
  const items = request.items.map(
    (item) =>
      `${item.quantity} × ${itemNames.get(item.itemId) ?? `item ${item.itemId}`} (${formatCents(item.amountCents, request.currency)})`,
  );
  const open = isOpen(request);
  const created: TimelineEntry = {
    key: `request-${request.id}`,
    at: request.createdAt,
    kind: 'request',
    title: `${what} ${money}`,
    lines: [
      `request ${request.id}, by ${request.requestedBy}`,
      `reason: ${request.reason}`,
      ...items,
      ...(open ? [`open: ${STATUS_WORDS[request.status] ?? request.status}`] : []),
      ...present(open ? request.firstApprover : null, (staff) => `first approval by staff ${staff}`),
    ],
    ...(open ? { openRequest: request } : {}),
  };
  if (open) return [created];
  const decided: TimelineEntry = {
    key: `request-${request.id}-decided`,
    at: request.updatedAt,
    kind: 'request',
    title: `${what} ${money} ${request.status === 'APPROVED' ? 'approved' : 'rejected'}`,
    lines: [
      `request ${request.id}`,
      ...present(request.decidedBy, (actor) => `by ${actor}`),
      ...present(request.firstApprover, (staff) => `first approval by staff ${staff}`),
      ...present(request.decisionReason, (reason) => `reason: ${reason}`),
      ...present(request.status === 'APPROVED' ? request.bearer : null, (bearer) => `borne by ${bearer}`),
    ],
  };
  return [created, decided];
}

function refundEntries(refund: Refund): TimelineEntry[] {
  const money = formatCents(refund.amountCents, refund.currency);
  const entries: TimelineEntry[] = [
    {
      key: `refund-${refund.id}`,
      at: refund.createdAt,
      kind: 'refund',
      title: `Refund ${money} created`,
      lines: [
        `refund ${refund.id}, ${refund.status}`,
        `reason: ${refund.reason}, borne by ${refund.bearer}`,
        ...present(refund.reverseRequestId, (id) => `for request ${id}`),
      ],
    },
  ];
  if (refund.status === 'SUCCEEDED') {
    entries.push({
      key: `refund-${refund.id}-succeeded`,
      at: refund.completedAt ?? refund.updatedAt,
      kind: 'refund',
      title: `Refund ${money} paid back`,
      lines: [`refund ${refund.id}, after ${refund.attempts} attempt${refund.attempts === 1 ? '' : 's'}`],
    });
  } else if (refund.status === 'FAILED') {
    entries.push({
      key: `refund-${refund.id}-failed`,
      at: refund.updatedAt,
      kind: 'refund',
      title: `Refund ${money} failed`,
      lines: [
        `refund ${refund.id}, after ${refund.attempts} attempt${refund.attempts === 1 ? '' : 's'}`,
        ...present(refund.lastError, (error) => `last error: ${error}`),
      ],
    });
  }
  return entries;
}

function auditEntry(entry: AuditEntry): TimelineEntry {
  return {
    key: `audit-${entry.source}-${entry.id}`,
    at: entry.at,
    kind: 'audit',
    title: `Audit: ${entry.action}`,
    lines: [
      `staff ${entry.staffId} on ${entry.target}`,
      ...present(entry.reason, (reason) => `reason: ${reason}`),
    ],
  };
}

/**
 * One timeline of the case, oldest first: the forward history, each reverse request (filed, and
 * decided), each refund (created, and paid back or failed) and the audit trail, merged by time.
 */
export function caseTimeline(orderCase: OrderCase): TimelineEntry[] {
  const itemNames = new Map(orderCase.order.items.map((line) => [line.itemId, line.name]));
  const entries = [
    ...orderCase.history.map(historyEntry),
    ...orderCase.reverseRequests.flatMap((request) => requestEntries(request, itemNames)),
    ...orderCase.refunds.flatMap(refundEntries),
    ...orderCase.audit.map(auditEntry),
  ];
  return entries
    .map((entry, index) => ({ entry, index, time: Date.parse(entry.at) }))
    .sort(
      (a, b) => a.time - b.time || KIND_ORDER[a.entry.kind] - KIND_ORDER[b.entry.kind] || a.index - b.index,
    )
    .map(({ entry }) => entry);
}
