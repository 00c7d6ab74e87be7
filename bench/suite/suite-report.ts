import type { CheckoutScenarioReport } from './checkout.scenario';
import type { MixScenarioReport } from './mix.scenario';
import type { PhaseResult } from './phase-result';
import type { ReadsScenarioReport } from './reads.scenario';
import type { ScaleScenarioReport } from './scale.scenario';
import type { SoakScenarioReport } from './soak.scenario';

export type ScenarioReport =
  CheckoutScenarioReport | ReadsScenarioReport | MixScenarioReport | SoakScenarioReport | ScaleScenarioReport;

const fixed = (value: number | undefined, digits = 1): string =>
  value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits);

const COLUMNS: readonly (readonly [string, number])[] = [
  ['phase', 40],
  ['req/s', 8],
  ['orders/s', 9],
  ['p50', 7],
  ['p95', 7],
  ['p99', 7],
  ['max', 8],
  ['errors', 7],
  ['app', 5],
  ['pg', 5],
  ['redis', 5],
  ['rmq', 5],
  ['gen', 5],
  ['RSS MiB', 8],
];

function row(cells: readonly string[]): string {
  return cells
    .map((cell, i) => (i === 0 ? cell.padEnd(COLUMNS[i][1]) : cell.padStart(COLUMNS[i][1])))
    .join(' ')
    .trimEnd();
}

/**
 * Every phase: requests/s, orders/s, latency in ms, errors, cores used per process group (app
 * processes, Postgres, redis-server, RabbitMQ, this load generator) and the app's peak RSS.
 */
export function formatPhaseTable(phases: readonly PhaseResult[]): string {
  const lines = [row(COLUMNS.map(([name]) => name)), row(COLUMNS.map(([, width]) => '-'.repeat(width)))];
  for (const phase of phases) {
    const { traffic, resources } = phase;
    lines.push(
      row([
        phase.name.slice(0, 40),
        fixed(traffic.requestsPerSecond),
        fixed(traffic.ordersPerSecond),
        fixed(traffic.latency.p50Ms),
        fixed(traffic.latency.p95Ms),
        fixed(traffic.latency.p99Ms),
        fixed(traffic.latency.maxMs),
        String(traffic.errors),
        fixed(resources.cores.app, 2),
        fixed(resources.cores.postgres, 2),
        fixed(resources.cores.redis, 2),
        fixed(resources.cores.rabbitmq, 2),
        fixed(resources.cores.loadGenerator, 2),
        fixed(resources.appRss.peakMiB, 0),
      ]),
    );
  }
  return lines.join('\n');
}

/** Errors by code of every phase that had any, with one sample body each. */
export function formatErrors(phases: readonly PhaseResult[]): string {
  const lines: string[] = [];
  for (const phase of phases) {
    for (const [code, count] of Object.entries(phase.traffic.errorsByCode)) {
      lines.push(`  ${phase.name}: ${count} x ${code}`);
      const sample = phase.traffic.errorSamples[code]?.[0];
      if (sample !== undefined) lines.push(`      ${sample.slice(0, 200)}`);
    }
  }
  return lines.length === 0 ? 'errors: none' : ['errors:', ...lines].join('\n');
}

const check = (ok: boolean): string => (ok ? 'met' : 'NOT met');

/** The headline of each scenario, with the issue's bars beside the figures (informative only). */
export function formatScenario(report: ScenarioReport): string {
  switch (report.scenario) {
    case 'checkout': {
      const m = report.median;
      const runs = report.runs.map((run) => run.appOverCeiling.toFixed(2)).join(', ');
      return [
        `checkout (${report.connections} connections, median of ${report.runs.length}):`,
        `  app ${fixed(m.appOrdersPerSecond)} orders/s, p50 ${fixed(m.appP50Ms)} ms, p95 ${fixed(m.appP95Ms)} ms, ` +
          `p99 ${fixed(m.appP99Ms)} ms, errors ${fixed(m.appErrors, 0)}`,
        `  ceiling ${fixed(m.ceilingOrdersPerSecond)} orders/s, p99 ${fixed(m.ceilingP99Ms)} ms`,
        `  app/ceiling ${fixed(m.appOverCeiling, 2)} (runs: ${runs})`,
        `  bar: >= 0.60 of the ceiling ${check(m.appOverCeiling >= 0.6)}; p99 <= 50 ms ${check(m.appP99Ms <= 50)}; ` +
          `no errors ${check(report.runs.every((run) => run.app.traffic.errors === 0))}`,
      ].join('\n');
    }
    case 'reads': {
      const m = report.median;
      return [
        `reads (${report.connections} connections, median of ${report.runs.length}; checkout ${fixed(report.checkoutOrdersPerSecond)} orders/s):`,
        `  my orders ${fixed(m.myOrdersPerSecond)}/s (p99 ${fixed(m.myOrdersP99Ms)} ms) = ${fixed(m.myOrdersOverCheckout, 2)} x checkout; ` +
          `bar >= 3x ${check(m.myOrdersOverCheckout >= 3)}`,
        `  menu      ${fixed(m.menuPerSecond)}/s (p99 ${fixed(m.menuP99Ms)} ms) = ${fixed(m.menuOverCheckout, 2)} x checkout; ` +
          `bar >= 5x ${check(m.menuOverCheckout >= 5)}`,
      ].join('\n');
    }
    case 'mix': {
      const t = report.phase.traffic;
      const kinds = Object.entries(t.byKind).map(
        ([kind, k]) =>
          `  ${kind.padEnd(10)} ${(100 * (report.shares[kind] ?? 0)).toFixed(1).padStart(5)} %  ` +
          `${fixed(k.requestsPerSecond).padStart(7)}/s  p50 ${fixed(k.latency.p50Ms)} ms  p99 ${fixed(k.latency.p99Ms)} ms  ` +
          `errors ${k.errors}`,
      );
      return [
        `mix (${report.users} users, spawn ${report.spawnRatePerSecond}/s, wait ${report.waitMs.min}-${report.waitMs.max} ms, ` +
          `refunds ${report.refunds ? 'on' : 'off'}):`,
        `  ${fixed(t.requestsPerSecond)} requests/s, ${fixed(t.ordersPerSecond)} orders/s, p50 ${fixed(t.latency.p50Ms)} ms, ` +
          `p99 ${fixed(t.latency.p99Ms)} ms, errors ${t.errors}`,
        ...kinds,
        ...Object.entries(report.phase.resources.cores)
          .filter(([group]) => group.startsWith('other:'))
          .map(([group, cores]) => `  ${group.slice('other:'.length)} used ${fixed(cores, 2)} cores`),
      ].join('\n');
    }
    case 'soak': {
      const t = report.phase.traffic;
      const windows = report.windows.map((w) => `${w.startSeconds}s:${fixed(w.p99Ms)}`).join(' ');
      return [
        `soak (open model, ${fixed(report.ratePerSecond)} checkouts/s` +
          `${report.checkoutOrdersPerSecond === undefined ? '' : ` = 70% of ${fixed(report.checkoutOrdersPerSecond)}`}):`,
        `  ${fixed(t.ordersPerSecond)} orders/s, p50 ${fixed(t.latency.p50Ms)} ms, p99 ${fixed(t.latency.p99Ms)} ms, ` +
          `max ${fixed(t.latency.maxMs)} ms, errors ${t.errors}`,
        `  p99 per 10 s window (ms): ${windows}`,
        `  app RSS ${fixed(report.rss.afterFirstMinuteMiB)} MiB at ${fixed(report.rss.referenceAtSeconds, 0)} s -> ` +
          `${fixed(report.rss.atEndMiB)} MiB at the end (${fixed(report.rss.changePercent)} %)`,
        ...(report.ceiling ? [soakCeilingLine(report.ceiling)] : []),
        `  bar: p99 <= 25 ms ${check(t.latency.p99Ms <= 25 && report.worstWindowP99Ms <= 25)} ` +
          `(worst window ${fixed(report.worstWindowP99Ms)} ms); RSS within 10 % ${check(Math.abs(report.rss.changePercent) <= 10)}`,
      ].join('\n');
    }
    case 'scale': {
      const lines = report.configurations.map(
        (c) =>
          `  ${String(c.processes).padStart(2)} process(es) x ${c.databases} databases: ` +
          `${fixed(c.medianOrdersPerSecond)} orders/s, p99 ${fixed(c.medianP99Ms)} ms, errors ${c.errors}, ` +
          `app ${fixed(c.medianAppCores, 2)} cores, postgres ${fixed(c.medianPostgresCores, 2)} cores`,
      );
      return [`scale (checkout, ${report.connections} connections):`, ...lines].join('\n');
    }
  }
}

function soakCeilingLine(ceiling: NonNullable<SoakScenarioReport['ceiling']>): string {
  const t = ceiling.phase.traffic;
  return (
    `  ceiling at the same rate for ${fixed(t.seconds, 0)} s: p50 ${fixed(t.latency.p50Ms)} ms, ` +
    `p99 ${fixed(t.latency.p99Ms)} ms, worst window ${fixed(ceiling.worstWindowP99Ms)} ms, errors ${t.errors}`
  );
}
