/** Source of wall-clock milliseconds; injected so that time-dependent code is testable. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
