import { MAX_BATCH, batchOptionsProblem, nextCheckpoint, pauseAfterBatchMs } from './throttle.plan';

describe('pauseAfterBatchMs', () => {
  it('sleeps what the batch did not use of its share of the rate', () => {
    // 1000 orders at 2000/s may take 500 ms; done in 200 ms, so pause 300 ms.
    expect(pauseAfterBatchMs(1000, 200, 2000)).toBe(300);
  });

  it('does not pause a batch that was already slower than the rate allows', () => {
    expect(pauseAfterBatchMs(1000, 900, 2000)).toBe(0);
  });

  it('does not pause without a rate, or after an empty batch', () => {
    expect(pauseAfterBatchMs(1000, 10, undefined)).toBe(0);
    expect(pauseAfterBatchMs(0, 10, 100)).toBe(0);
  });
});

describe('batchOptionsProblem', () => {
  it('accepts a sane batch and rate', () => {
    expect(batchOptionsProblem({ batch: 2000, rate: 500 })).toBeNull();
    expect(batchOptionsProblem({ batch: 1, rate: undefined })).toBeNull();
  });

  it.each([
    [{ batch: 0, rate: undefined }, /--batch must be a whole number from 1/],
    [{ batch: MAX_BATCH + 1, rate: undefined }, /--batch/],
    [{ batch: 1.5, rate: undefined }, /--batch/],
    [{ batch: 100, rate: 0 }, /--rate must be a positive number/],
    [{ batch: 100, rate: Number.NaN }, /--rate/],
  ])('names the bad option in %j', (options, message) => {
    expect(batchOptionsProblem(options)).toMatch(message);
  });
});

describe('nextCheckpoint', () => {
  it('moves to the last old id of a batch', () => {
    expect(nextCheckpoint('100', ['101', '105', '230'])).toEqual({ after: '230', done: false });
  });

  it('keeps the checkpoint and finishes on an empty batch', () => {
    expect(nextCheckpoint('230', [])).toEqual({ after: '230', done: true });
  });
});
