import { setTimeout as sleep } from 'node:timers/promises';
import { runCheckoutLoad, type OrderRequestSource } from './checkout-load';
import { median } from '../load/latency-stats';
import type { PhaseMeasurement } from '../load/phase-measurement';

export type ComparedSide = 'delivery' | 'virtual';

/** One side's figures over its slices of a run. */
export interface SideFigures {
  readonly orders: number;
  readonly seconds: number;
  readonly ordersPerSecond: number;
  /** Percentiles of the slices, weighted by their orders (each slice's are exact). */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly appCores?: number;
  readonly errorsByKind: Readonly<Record<string, number>>;
  readonly errorSamples: Readonly<Record<string, readonly string[]>>;
}

export interface VirtualComparisonRun {
  readonly run: number;
  /** The slices in the order they ran: A B B A, the first side alternating between runs. */
  readonly slices: readonly { readonly side: ComparedSide; readonly measurement: PhaseMeasurement }[];
  readonly delivery: SideFigures;
  readonly virtual: SideFigures;
  /** Virtual orders/s divided by delivery checkouts/s in the same run. */
  readonly virtualOverDelivery: number;
}

export interface VirtualComparison {
  readonly runs: readonly VirtualComparisonRun[];
  readonly medianVirtualOverDelivery: number;
}

export interface VirtualComparisonOptions {
  readonly url: string;
  readonly connections: number;
  /** Seconds each side is measured per run, split into two slices. */
  readonly durationSeconds: number;
  readonly runs: number;
  /**
   * Unmeasured virtual orders first, so that both sides start warm: as many seconds as the app
   * has taken delivery checkouts before the comparison. Warm means more than a JIT: each pooled
   * connection plans a prepared statement per schema several times before it keeps a generic plan.
   */
  readonly virtualWarmupSeconds: number;
  readonly checkouts: OrderRequestSource;
  readonly virtualOrders: OrderRequestSource;
  readonly appCpuSeconds: () => number | undefined;
  readonly settleMs: number;
  readonly progress: (message: string) => void;
}

function weighted(slices: readonly PhaseMeasurement[], value: (m: PhaseMeasurement) => number): number {
  const orders = slices.reduce((sum, m) => sum + m.orders, 0);
  return orders === 0 ? Number.NaN : slices.reduce((sum, m) => sum + value(m) * m.orders, 0) / orders;
}

function sideFigures(slices: readonly PhaseMeasurement[]): SideFigures {
  const orders = slices.reduce((sum, m) => sum + m.orders, 0);
  const seconds = slices.reduce((sum, m) => sum + m.seconds, 0);
  const cores = slices.flatMap((m) => (m.appCores === undefined ? [] : [m.appCores * m.seconds]));
  const errorsByKind: Record<string, number> = {};
  const errorSamples: Record<string, string[]> = {};
  for (const m of slices) {
    for (const [kind, count] of Object.entries(m.errorsByKind))
      errorsByKind[kind] = (errorsByKind[kind] ?? 0) + count;
    for (const [kind, samples] of Object.entries(m.errorSamples)) {
      errorSamples[kind] = [...(errorSamples[kind] ?? []), ...samples].slice(0, 3);
    }
  }
  return {
    orders,
    seconds,
    ordersPerSecond: orders / seconds,
    p50Ms: weighted(slices, (m) => m.latency.p50Ms),
    p99Ms: weighted(slices, (m) => m.latency.p99Ms),
    errors: slices.reduce((sum, m) => sum + m.errors, 0),
    ...(cores.length === slices.length ? { appCores: cores.reduce((a, b) => a + b, 0) / seconds } : {}),
    errorsByKind,
    errorSamples,
  };
}

/**
 * Delivery checkout (`POST /v1/orders`) and virtual order creation (`POST /v1/virtual-orders`)
 * against the same running app, with the same connections. Each run measures the sides in A B B A
 * slices, the first side alternating between runs: on a shared machine whose speed drifts (the
 * relay draining an earlier phase's events, autovacuum, other work), a drift that is roughly
 * linear over a run then costs both sides alike instead of whichever went second.
 */
export async function compareVirtualWithDelivery(
  options: VirtualComparisonOptions,
): Promise<VirtualComparison> {
  const sliceSeconds = Math.max(1, Math.round(options.durationSeconds / 2));
  const source: Readonly<Record<ComparedSide, { path: string; requests: OrderRequestSource }>> = {
    delivery: { path: '/v1/orders', requests: options.checkouts },
    virtual: { path: '/v1/virtual-orders', requests: options.virtualOrders },
  };
  if (options.virtualWarmupSeconds > 0) {
    options.progress(`virtual comparison: warming the virtual side for ${options.virtualWarmupSeconds} s`);
    await runCheckoutLoad({
      url: options.url,
      connections: options.connections,
      durationSeconds: options.virtualWarmupSeconds,
      checkouts: source.virtual.requests,
      path: source.virtual.path,
    });
    await sleep(options.settleMs);
  }
  const runs: VirtualComparisonRun[] = [];
  for (let run = 1; run <= options.runs; run += 1) {
    const [a, b]: ComparedSide[] = run % 2 === 1 ? ['delivery', 'virtual'] : ['virtual', 'delivery'];
    const slices: { side: ComparedSide; measurement: PhaseMeasurement }[] = [];
    for (const side of [a, b, b, a]) {
      options.progress(`virtual comparison ${run}/${options.runs}: ${side} for ${sliceSeconds} s`);
      const measurement = await runCheckoutLoad({
        url: options.url,
        connections: options.connections,
        durationSeconds: sliceSeconds,
        checkouts: source[side].requests,
        path: source[side].path,
        appCpuSeconds: options.appCpuSeconds,
      });
      slices.push({ side, measurement });
      await sleep(options.settleMs);
    }
    const of = (side: ComparedSide) =>
      sideFigures(slices.filter((slice) => slice.side === side).map((slice) => slice.measurement));
    const delivery = of('delivery');
    const virtual = of('virtual');
    runs.push({
      run,
      slices,
      delivery,
      virtual,
      virtualOverDelivery: virtual.ordersPerSecond / delivery.ordersPerSecond,
    });
  }
  return { runs, medianVirtualOverDelivery: median(runs.map((run) => run.virtualOverDelivery)) };
}

const WIDTHS = [6, 18, 10, 8, 8, 7, 10] as const;

function row(cells: readonly string[]): string {
  return cells
    .map((cell, i) => (i < 2 ? cell.padEnd(WIDTHS[i]) : cell.padStart(WIDTHS[i])))
    .join(' ')
    .trimEnd();
}

function sideRow(run: string, side: string, figures: SideFigures): string {
  return row([
    run,
    side,
    figures.ordersPerSecond.toFixed(1),
    figures.p50Ms.toFixed(1),
    figures.p99Ms.toFixed(1),
    String(figures.errors),
    figures.appCores === undefined ? '-' : figures.appCores.toFixed(2),
  ]);
}

/** Both figures of every run (over its slices), their ratio, and what the errors were. */
export function formatVirtualComparison(
  comparison: VirtualComparison,
  options: { connections: number; durationSeconds: number },
): string {
  const lines = [
    `virtual orders: POST /v1/virtual-orders vs POST /v1/orders, same app, ${options.connections} connections, ` +
      `${options.durationSeconds} s per side per run in A B B A slices`,
    '',
    row(['run', 'side', 'orders/s', 'p50 ms', 'p99 ms', 'errors', 'app cores']),
    row(WIDTHS.map((width) => '-'.repeat(width))),
  ];
  for (const run of comparison.runs) {
    lines.push(sideRow(String(run.run), 'delivery', run.delivery));
    lines.push(sideRow('', 'virtual', run.virtual));
    lines.push(row(['', 'virtual/delivery', run.virtualOverDelivery.toFixed(2)]));
  }
  if (comparison.runs.length > 1) {
    lines.push(row(['median', 'virtual/delivery', comparison.medianVirtualOverDelivery.toFixed(2)]));
  }
  const errors = comparison.runs.flatMap((run) =>
    (['delivery', 'virtual'] as const).flatMap((side) =>
      Object.entries(run[side].errorsByKind).flatMap(([kind, count]) => [
        `run ${run.run} ${side}: ${count} x ${kind}`,
        ...(run[side].errorSamples[kind] ?? []).map((sample) => `    ${sample}`),
      ]),
    ),
  );
  lines.push('', ...(errors.length > 0 ? ['errors:', ...errors] : ['errors: none']));
  return lines.join('\n');
}
