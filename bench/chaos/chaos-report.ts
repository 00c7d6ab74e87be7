import type { ScenarioResult } from './scenario-result';

const COLUMNS: readonly { title: string; value: (result: ScenarioResult) => string }[] = [
  { title: 'scenario', value: (r) => r.name },
  { title: 'sent', value: (r) => String(r.sent) },
  { title: 'ok', value: (r) => String(r.succeeded) },
  {
    title: 'failed by code',
    value: (r) =>
      Object.entries(r.failedByCode)
        .sort(([, a], [, b]) => b - a)
        .map(([code, count]) => `${code} ${count}`)
        .join(', ') || '-',
  },
  { title: 'orders lost', value: (r) => String(r.ordersLost) },
  { title: 'wrong answers', value: (r) => String(r.wrongAnswers) },
  { title: 'unsettled', value: (r) => String(r.unsettled) },
  { title: 'events lost', value: (r) => `${r.eventsLost}/${r.eventsExpected}` },
  { title: 'republished', value: (r) => String(r.eventsRepublished) },
  { title: 'applied twice', value: (r) => String(r.appliedTwice) },
  { title: 'projection behind', value: (r) => String(r.projectionBehind) },
  { title: 'errors outside', value: (r) => String(r.errorsOutsideFailedShard) },
  { title: 'recover ms', value: (r) => (r.recoverMs === null ? 'never' : String(r.recoverMs)) },
  {
    title: 'events caught up ms',
    value: (r) => (r.eventsCaughtUpMs === null ? '-' : String(r.eventsCaughtUpMs)),
  },
  { title: 'fail p50 ms', value: (r) => (r.failLatencyP50Ms === null ? '-' : String(r.failLatencyP50Ms)) },
  { title: 'ok p99 ms', value: (r) => (r.okLatencyP99Ms === null ? '-' : String(r.okLatencyP99Ms)) },
  { title: 'holds', value: (r) => (r.holds ? 'yes' : 'NO') },
];

/** The results as a Markdown table (it reads as plain text in a terminal too). */
export function chaosTable(results: readonly ScenarioResult[]): string {
  const rows = results.map((result) => COLUMNS.map((column) => column.value(result)));
  const widths = COLUMNS.map((column, i) =>
    Math.max(column.title.length, ...rows.map((row) => row[i].length)),
  );
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, i) => (i === 0 || i === 3 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  return [
    line(COLUMNS.map((column) => column.title)),
    `| ${widths.map((width, i) => (i === 0 || i === 3 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}
