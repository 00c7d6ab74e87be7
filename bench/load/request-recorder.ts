import { performance } from 'node:perf_hooks';
import { LatencyRecorder, type LatencySummary } from './latency-stats';
import { ErrorTally } from './phase-measurement';
import { windowFigures, type TimedRequest, type WindowFigures } from './timeline';

/** Figures of one kind of request in a phase (menu, checkout, pay...). */
export interface KindFigures {
  readonly requests: number;
  readonly ok: number;
  readonly errors: number;
  readonly requestsPerSecond: number;
  /** Latency of the successful ones. */
  readonly latency: LatencySummary;
}

/** What the load generator saw in one phase, whatever the load model. */
export interface TrafficSummary {
  readonly seconds: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly ok: number;
  /** Successful requests that created an order (checkouts). */
  readonly orders: number;
  readonly ordersPerSecond: number;
  /** Latency of the successful requests: p50, p95, p99, max... */
  readonly latency: LatencySummary;
  readonly errors: number;
  /** By HTTP status, error `code`, socket error or IN_FLIGHT_CAP. */
  readonly errorsByCode: Readonly<Record<string, number>>;
  readonly errorSamples: Readonly<Record<string, readonly string[]>>;
  readonly byKind: Readonly<Record<string, KindFigures>>;
  /** Per second: throughput and p50/p99, for the chart. */
  readonly timeline: readonly WindowFigures[];
}

interface KindRecord {
  requests: number;
  ok: number;
  readonly latency: LatencyRecorder;
}

/** Collects every request of a phase, from any load model, into one TrafficSummary. */
export class RequestRecorder {
  private readonly timed: TimedRequest[] = [];
  private readonly overall = new LatencyRecorder();
  private readonly errors = new ErrorTally();
  private readonly kinds = new Map<string, KindRecord>();
  private orders = 0;

  /** `origin` (performance.now() time) is second 0 of the phase; start times are taken against it. */
  constructor(readonly origin: number = performance.now()) {}

  success(kind: string, startedAt: number, latencyMs: number, createdOrder = false): void {
    this.timed.push({ startMs: startedAt - this.origin, latencyMs, ok: true });
    this.overall.record(latencyMs);
    const record = this.kind(kind);
    record.requests += 1;
    record.ok += 1;
    record.latency.record(latencyMs);
    if (createdOrder) this.orders += 1;
  }

  failure(kind: string, code: string, startedAt: number, latencyMs: number, sample?: string): void {
    this.timed.push({ startMs: startedAt - this.origin, latencyMs, ok: false });
    this.kind(kind).requests += 1;
    this.errors.add(code, sample);
  }

  /** An error body that arrives apart from its count (autocannon reports them separately). */
  sample(code: string, body: string): void {
    this.errors.addSample(code, body);
  }

  summarize(seconds: number, windowMs = 1_000): TrafficSummary {
    const byKind: Record<string, KindFigures> = {};
    let requests = 0;
    let ok = 0;
    for (const [name, record] of this.kinds) {
      requests += record.requests;
      ok += record.ok;
      byKind[name] = {
        requests: record.requests,
        ok: record.ok,
        errors: record.requests - record.ok,
        requestsPerSecond: record.requests / seconds,
        latency: record.latency.summary(),
      };
    }
    return {
      seconds,
      requests,
      requestsPerSecond: requests / seconds,
      ok,
      orders: this.orders,
      ordersPerSecond: this.orders / seconds,
      latency: this.overall.summary(),
      errors: this.errors.count,
      errorsByCode: this.errors.byKind(),
      errorSamples: this.errors.sampleBodies(),
      byKind,
      timeline: windowFigures(this.timed, windowMs, seconds * 1000),
    };
  }

  /** The raw requests, to cut into other windows (the soak's 10 s p99). */
  requests(): readonly TimedRequest[] {
    return this.timed;
  }

  private kind(name: string): KindRecord {
    let record = this.kinds.get(name);
    if (!record) {
      record = { requests: 0, ok: 0, latency: new LatencyRecorder() };
      this.kinds.set(name, record);
    }
    return record;
  }
}
