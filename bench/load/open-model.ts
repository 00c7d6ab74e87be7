import { performance } from 'node:perf_hooks';

/** Milliseconds after the phase's start at which request `index` (0-based) is due. */
export function scheduledOffsetMs(index: number, ratePerSecond: number): number {
  return (index * 1000) / ratePerSecond;
}

/** How many requests of a phase are due `elapsedMs` into it: those scheduled at or before then. */
export function dueCount(elapsedMs: number, ratePerSecond: number, total: number): number {
  if (elapsedMs < 0) return 0;
  // The epsilon absorbs rounding in index * 1000 / rate * rate / 1000, so that a request is due
  // exactly at its own scheduled offset (else the timer set for it would fire and find nothing due).
  return Math.min(total, Math.floor((elapsedMs * ratePerSecond) / 1000 + 1e-9) + 1);
}

/** Requests in a phase of `durationSeconds` at `ratePerSecond`. */
export function totalRequests(ratePerSecond: number, durationSeconds: number): number {
  return Math.round(ratePerSecond * durationSeconds);
}

export interface OpenLoadOptions {
  readonly ratePerSecond: number;
  readonly durationSeconds: number;
  /**
   * Requests allowed in flight at once. A request due while this many are open is not sent and is
   * reported through `onCapped`: an error, since the app has fallen that far behind the schedule.
   */
  readonly maxInFlight: number;
  /** Sends one request; `scheduledAt` (performance.now() time) is its due time, to measure from. */
  readonly send: (scheduledAt: number) => Promise<void>;
  readonly onCapped: (scheduledAt: number) => void;
}

/**
 * The open model: requests start on a fixed schedule, `ratePerSecond`, whether or not earlier ones
 * have answered, as independent customers would. Each is handed its scheduled start, and latency
 * is measured from there: when the app (or the load generator) falls behind, the wait counts, so
 * the percentiles do not suffer coordinated omission. Resolves when every request has ended.
 * Returns the wall seconds from the first scheduled start to the last answer.
 */
export async function runOpenLoad(options: OpenLoadOptions): Promise<number> {
  const total = totalRequests(options.ratePerSecond, options.durationSeconds);
  const inFlight = new Set<Promise<void>>();
  const startedAt = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = dueCount(performance.now() - startedAt, options.ratePerSecond, total);
      while (sent < due) {
        const scheduledAt = startedAt + scheduledOffsetMs(sent, options.ratePerSecond);
        sent += 1;
        if (inFlight.size >= options.maxInFlight) {
          options.onCapped(scheduledAt);
          continue;
        }
        const request = options.send(scheduledAt).catch(() => undefined);
        inFlight.add(request);
        void request.finally(() => inFlight.delete(request));
      }
      if (sent >= total) {
        resolve();
        return;
      }
      const nextAt = startedAt + scheduledOffsetMs(sent, options.ratePerSecond);
      setTimeout(tick, Math.max(0, nextAt - performance.now()));
    };
    tick();
  });
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  return (performance.now() - startedAt) / 1000;
}
