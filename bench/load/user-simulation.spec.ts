import { pickWeighted, spawnOffsetMs, waitTimeMs } from './user-simulation';

describe('user simulation', () => {
  it('spawns users at the spawn rate', () => {
    expect(spawnOffsetMs(0, 50)).toBe(0);
    expect(spawnOffsetMs(50, 50)).toBe(1000);
    expect(spawnOffsetMs(3, 2)).toBe(1500);
  });

  it('waits uniformly between min and max', () => {
    expect(waitTimeMs(100, 500, 0)).toBe(100);
    expect(waitTimeMs(100, 500, 0.5)).toBe(300);
    expect(waitTimeMs(100, 500, 0.999_999)).toBeCloseTo(500, 2);
  });

  it('picks by weight: 60/20/10/10 splits [0, 1) at 0.6, 0.8 and 0.9', () => {
    const weights = [60, 20, 10, 10];
    expect(pickWeighted(weights, 0)).toBe(0);
    expect(pickWeighted(weights, 0.599)).toBe(0);
    expect(pickWeighted(weights, 0.6)).toBe(1);
    expect(pickWeighted(weights, 0.8)).toBe(2);
    expect(pickWeighted(weights, 0.9)).toBe(3);
    expect(pickWeighted(weights, 0.999_999)).toBe(3);
  });

  it('never picks a weight of zero, even at the edges', () => {
    expect(pickWeighted([0, 5, 0], 0)).toBe(1);
    expect(pickWeighted([0, 5, 0], 0.999_999)).toBe(1);
    expect(pickWeighted([3, 0], 1)).toBe(0);
  });

  it('refuses weights that cannot be picked from', () => {
    expect(() => pickWeighted([], 0.5)).toThrow(RangeError);
    expect(() => pickWeighted([0, 0], 0.5)).toThrow(RangeError);
    expect(() => pickWeighted([1, -1], 0.5)).toThrow(RangeError);
  });
});
