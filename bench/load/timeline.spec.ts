import { windowFigures } from './timeline';

describe('windowFigures', () => {
  it('puts each request in the window of its start and takes percentiles of the successful ones', () => {
    const requests = [
      ...Array.from({ length: 100 }, (_, i) => ({ startMs: i * 10, latencyMs: i + 1, ok: true })),
      { startMs: 500, latencyMs: 5000, ok: false },
      { startMs: 1500, latencyMs: 7, ok: true },
    ];
    const [first, second] = windowFigures(requests, 1000, 2000);
    expect(first).toMatchObject({ startSeconds: 0, requests: 101, ok: 100, errors: 1, okPerSecond: 100 });
    // Nearest rank over 1..100: p50 is the 50th value, p99 the 99th; the failure's 5 s is left out.
    expect(first.p50Ms).toBe(50);
    expect(first.p99Ms).toBe(99);
    expect(first.maxMs).toBe(100);
    expect(second).toMatchObject({ startSeconds: 1, requests: 1, ok: 1, errors: 0, p50Ms: 7, p99Ms: 7 });
  });

  it('gives empty windows NaN percentiles and a rate of zero', () => {
    const windows = windowFigures([{ startMs: 2500, latencyMs: 3, ok: true }], 1000, 3000);
    expect(windows).toHaveLength(3);
    expect(windows[0].okPerSecond).toBe(0);
    expect(windows[0].p99Ms).toBeNaN();
    expect(windows[2].ok).toBe(1);
  });

  it('takes the rate of a shorter last window over its own length', () => {
    const windows = windowFigures([{ startMs: 10_100, latencyMs: 3, ok: true }], 10_000, 10_500);
    expect(windows).toHaveLength(2);
    expect(windows[1].okPerSecond).toBe(2);
  });

  it('counts a request that started after the end in the last window', () => {
    const windows = windowFigures([{ startMs: 2_400, latencyMs: 1, ok: true }], 1000, 2000);
    expect(windows).toHaveLength(2);
    expect(windows[1].ok).toBe(1);
  });

  it('refuses a window that is not positive', () => {
    expect(() => windowFigures([], 0, 1000)).toThrow(RangeError);
  });
});
