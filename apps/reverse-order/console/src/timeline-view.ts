import type { ReverseRequest } from './api-types';
import { el } from './element';
import type { TimelineEntry, TimelineKind } from './timeline';
import { formatTime } from './time';

const BADGES: Readonly<Record<TimelineKind, string>> = {
  status: 'Order status',
  request: 'Reverse request',
  refund: 'Refund',
  audit: 'Audit',
};

/** The buttons (and notes) an open request's entry carries, from what the member may do. */
export type RequestActionsOf = (request: ReverseRequest, describedBy: string) => readonly Node[];

/** The case's timeline as an ordered list, each kind with its own badge and style. */
export function renderTimeline(
  entries: readonly TimelineEntry[],
  actionsOf: RequestActionsOf,
): HTMLOListElement {
  return el(
    'ol',
    { className: 'timeline', attrs: { 'aria-labelledby': 'timeline-title' } },
    ...entries.map((entry) => {
      const titleId = `entry-${entry.key}`;
      const actions = entry.openRequest ? actionsOf(entry.openRequest, titleId) : [];
      return el(
        'li',
        {
          className: `entry entry-${entry.kind}`,
          attrs: {
            'data-key': entry.key,
            'data-kind': entry.kind,
            ...(entry.openRequest ? { 'data-request-id': entry.openRequest.id } : {}),
          },
        },
        el('span', { className: 'badge', text: BADGES[entry.kind] }),
        el('time', { text: formatTime(entry.at), attrs: { datetime: entry.at } }),
        el('p', { className: 'entry-title', text: entry.title, attrs: { id: titleId } }),
        el('ul', { className: 'entry-lines' }, ...entry.lines.map((line) => el('li', { text: line }))),
        actions.length > 0 && el('div', { className: 'entry-actions' }, ...actions),
      );
    }),
  );
}
