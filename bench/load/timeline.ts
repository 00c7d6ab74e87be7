import { percentile } from './latency-stats';

/** One request as the timeline sees it: when it started (ms into the phase), how long, how it ended. */
export interface TimedRequest {
  readonly startMs: number;
  readonly latencyMs: number;
  readonly ok: boolean;
}

/** The figures of one window of a phase. */
export interface WindowFigures {
  /** Start of the window, seconds into the phase. */
  readonly startSeconds: number;
  readonly requests: number;
  readonly ok: number;
  readonly errors: number;
  /** Successful requests per second of the window. */
  readonly okPerSecond: number;
  /** Percentiles of the successful requests started in the window; NaN when there were none. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/**
 * Cuts a phase into windows of `windowMs` by each request's start (for the open model its scheduled
 * start, so a stall shows in the window whose requests waited) and gives each window its rate and
 * percentiles. Requests starting at or after `durationMs` fall into the last window; the last window
 * may be shorter than the others, and its rate is taken over its own length.
 */
export function windowFigures(
  requests: readonly TimedRequest[],
  windowMs: number,
  durationMs: number,
): WindowFigures[] {
  if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
  const count = Math.max(1, Math.ceil(durationMs / windowMs));
  const latencies: number[][] = Array.from({ length: count }, () => []);
  const totals = new Array<number>(count).fill(0);
  for (const request of requests) {
    const index = Math.min(count - 1, Math.max(0, Math.floor(request.startMs / windowMs)));
    totals[index] += 1;
    if (request.ok) latencies[index].push(request.latencyMs);
  }
  return latencies.map((values, index) => {
    const sorted = Float64Array.from(values).sort();
    const lengthMs = Math.min(windowMs, Math.max(durationMs - index * windowMs, 0)) || windowMs;
    return {
      startSeconds: (index * windowMs) / 1000,
      requests: totals[index],
      ok: sorted.length,
      errors: totals[index] - sorted.length,
      okPerSecond: sorted.length / (lengthMs / 1000),
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1],
    };
  });
}
