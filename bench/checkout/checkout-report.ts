import { median } from '../load/latency-stats';
import type { PhaseMeasurement } from '../load/phase-measurement';
import type { BenchOptions } from './bench-options';
import type { VirtualComparison } from './virtual-comparison';

export interface RunResult {
  readonly run: number;
  readonly app: PhaseMeasurement;
  readonly ceiling: PhaseMeasurement;
  /** App orders/s divided by ceiling orders/s in the same run. */
  readonly appOverCeiling: number;
}

/** The headline figures of one side, as medians over the runs. */
export interface SideMedians {
  readonly ordersPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly machineBusy: number;
  readonly clientCores: number;
  readonly appCores?: number;
}

export interface CheckoutReport {
  readonly scenario: 'checkout';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly options: BenchOptions;
  readonly setup: {
    readonly shardDatabases: readonly string[];
    readonly pgPoolSizePerDatabase: number;
    readonly logicalUserShards: number;
    readonly ceilingWorkerNumber: number;
    readonly appLog: string;
  };
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryGiB: number;
    readonly platform: string;
    readonly node: string;
  };
  readonly runs: readonly RunResult[];
  readonly median: {
    readonly app: SideMedians;
    readonly ceiling: SideMedians;
    readonly appOverCeiling: number;
  };
  /** With --virtual: virtual order creation beside delivery checkout, against the same app. */
  readonly virtualComparison?: VirtualComparison;
}

export function sideMedians(measurements: readonly PhaseMeasurement[]): SideMedians {
  const cores = measurements.flatMap((m) => (m.appCores === undefined ? [] : [m.appCores]));
  return {
    ordersPerSecond: median(measurements.map((m) => m.ordersPerSecond)),
    p50Ms: median(measurements.map((m) => m.latency.p50Ms)),
    p99Ms: median(measurements.map((m) => m.latency.p99Ms)),
    errors: median(measurements.map((m) => m.errors)),
    machineBusy: median(measurements.map((m) => m.machineBusy)),
    clientCores: median(measurements.map((m) => m.clientCores)),
    ...(cores.length > 0 ? { appCores: median(cores) } : {}),
  };
}

const COLUMNS = [
  'run',
  'side',
  'orders/s',
  'p50 ms',
  'p99 ms',
  'errors',
  'app cores',
  'client cores',
  'box busy',
] as const;
const WIDTHS = [6, 12, 10, 8, 8, 7, 10, 13, 9] as const;

/** The table printed at the end: every run, then the medians, then what the errors were. */
export function formatReport(report: CheckoutReport): string {
  const { options, setup, machine } = report;
  const lines = [
    `checkout: POST /v1/orders vs the same SQL straight from pg (${report.startedAt})`,
    `  ${options.connections} connections, ${options.durationSeconds} s per phase, ${options.runs} run(s), ` +
      `${options.warmupSeconds} s warm-up; ${options.users} customers over ${setup.logicalUserShards} user shards`,
    `  ${setup.shardDatabases.length} shard databases (${setup.shardDatabases.join(', ')}), ` +
      `${setup.pgPoolSizePerDatabase} pg connections each, for the app and for the ceiling alike`,
    `  machine: ${machine.cpus} x ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.platform}, node ${machine.node}` +
      ' (app, load generator and Postgres share it)',
    '',
    row(COLUMNS),
    row(WIDTHS.map((width) => '-'.repeat(width))),
  ];
  for (const run of report.runs) {
    lines.push(sideRow(String(run.run), 'app', figuresOf(run.app)));
    lines.push(sideRow('', 'ceiling', figuresOf(run.ceiling)));
    lines.push(row(['', 'app/ceiling', run.appOverCeiling.toFixed(2)]));
  }
  if (report.runs.length > 1) {
    lines.push(row(WIDTHS.map((width) => '-'.repeat(width))));
    lines.push(sideRow('median', 'app', report.median.app));
    lines.push(sideRow('median', 'ceiling', report.median.ceiling));
    lines.push(row(['median', 'app/ceiling', report.median.appOverCeiling.toFixed(2)]));
  }
  lines.push('', ...errorLines(report.runs));
  return lines.join('\n');
}

function figuresOf(measurement: PhaseMeasurement): SideMedians {
  return {
    ordersPerSecond: measurement.ordersPerSecond,
    p50Ms: measurement.latency.p50Ms,
    p99Ms: measurement.latency.p99Ms,
    errors: measurement.errors,
    machineBusy: measurement.machineBusy,
    clientCores: measurement.clientCores,
    ...(measurement.appCores === undefined ? {} : { appCores: measurement.appCores }),
  };
}

function sideRow(run: string, side: string, figures: SideMedians): string {
  return row([
    run,
    side,
    figures.ordersPerSecond.toFixed(1),
    figures.p50Ms.toFixed(1),
    figures.p99Ms.toFixed(1),
    String(Math.round(figures.errors)),
    figures.appCores === undefined ? '-' : figures.appCores.toFixed(2),
    figures.clientCores.toFixed(2),
    `${Math.round(figures.machineBusy * 100)}%`,
  ]);
}

function row(cells: readonly string[]): string {
  return cells
    .map((cell, i) => (i < 2 ? cell.padEnd(WIDTHS[i]) : cell.padStart(WIDTHS[i])))
    .join(' ')
    .trimEnd();
}

function errorLines(runs: readonly RunResult[]): string[] {
  const lines: string[] = [];
  for (const run of runs) {
    for (const [side, measurement] of [
      ['app', run.app],
      ['ceiling', run.ceiling],
    ] as const) {
      for (const [kind, count] of Object.entries(measurement.errorsByKind)) {
        lines.push(`run ${run.run} ${side}: ${count} x ${kind}`);
        for (const sample of measurement.errorSamples[kind] ?? []) lines.push(`    ${sample}`);
      }
    }
  }
  return lines.length > 0 ? ['errors:', ...lines] : ['errors: none'];
}
