import type { LatencySummary } from './latency-stats';

/** What one measured phase (the app over HTTP, or the bare SQL) achieved. */
export interface PhaseMeasurement {
  /** Checkouts that created an order: HTTP 2xx, or a statement that returned its order row. */
  readonly orders: number;
  /** Wall time from the first request sent to the last answer counted. */
  readonly seconds: number;
  readonly ordersPerSecond: number;
  /** Latency of the successful checkouts only; failures are counted in `errors`. */
  readonly latency: LatencySummary;
  readonly errors: number;
  /** Errors by kind: an HTTP status ("409"), a pg SQLSTATE ("pg 40001") or a socket error code. */
  readonly errorsByKind: Readonly<Record<string, number>>;
  /** A few answer bodies per error kind, to tell why without rerunning. */
  readonly errorSamples: Readonly<Record<string, readonly string[]>>;
  /** Share of the whole machine's CPU time that was busy during the phase (0..1). */
  readonly machineBusy: number;
  /** CPU seconds per wall second used by this process: autocannon, or the pg client loops. */
  readonly clientCores: number;
  /** CPU seconds per wall second used by the forward-order process (app phase only). */
  readonly appCores?: number;
}

const SAMPLES_PER_KIND = 3;
const SAMPLE_LENGTH = 400;

/** Counts failures by kind and keeps the first few bodies of each. */
export class ErrorTally {
  private readonly counts: Record<string, number> = {};
  private readonly samples: Record<string, string[]> = {};
  private total = 0;

  add(kind: string, sample?: string): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    this.total += 1;
    if (sample !== undefined) this.addSample(kind, sample);
  }

  /** A sample that arrives apart from its count (autocannon reports body and status separately). */
  addSample(kind: string, sample: string): void {
    const kept = (this.samples[kind] ??= []);
    if (kept.length < SAMPLES_PER_KIND) kept.push(sample.slice(0, SAMPLE_LENGTH));
  }

  get count(): number {
    return this.total;
  }

  byKind(): Readonly<Record<string, number>> {
    return { ...this.counts };
  }

  sampleBodies(): Readonly<Record<string, readonly string[]>> {
    return { ...this.samples };
  }
}

/** A short, stable name for a thrown error: its code (an errno name like ECONNRESET) when it has one. */
export function errorKind(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code } = error;
    if (typeof code === 'string') return code;
  }
  return error instanceof Error ? error.message : String(error);
}
