import { dueCount, scheduledOffsetMs, totalRequests } from './open-model';

describe('open-model schedule', () => {
  it('spaces requests evenly at the rate, the first at the start', () => {
    expect(scheduledOffsetMs(0, 400)).toBe(0);
    expect(scheduledOffsetMs(1, 400)).toBe(2.5);
    expect(scheduledOffsetMs(400, 400)).toBe(1000);
    expect(scheduledOffsetMs(3, 0.5)).toBe(6000);
  });

  it('counts as due every request scheduled at or before the elapsed time', () => {
    expect(dueCount(-1, 100, 1000)).toBe(0);
    expect(dueCount(0, 100, 1000)).toBe(1);
    expect(dueCount(9.99, 100, 1000)).toBe(1);
    expect(dueCount(10, 100, 1000)).toBe(2);
    expect(dueCount(1000, 100, 1000)).toBe(101);
  });

  it('never counts more than the phase holds, however late the timer fires', () => {
    expect(dueCount(60_000, 100, 1000)).toBe(1000);
  });

  it('agrees with the offsets: request i is due exactly from its scheduled time', () => {
    for (const rate of [1, 7, 333.3, 1000]) {
      for (let i = 0; i < 50; i += 1) {
        expect(dueCount(scheduledOffsetMs(i, rate), rate, 10_000)).toBeGreaterThanOrEqual(i + 1);
      }
    }
  });

  it('holds rate x duration requests, rounded', () => {
    expect(totalRequests(420, 300)).toBe(126_000);
    expect(totalRequests(0.5, 3)).toBe(2);
  });
});
