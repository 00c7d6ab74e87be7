import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DomainError, DomainErrorCode } from '@eos/domain';
import { onShard } from './shard-failure';

function refused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
}

function failingTimes<T>(failures: number, error: () => Error, value: T): jest.Mock<Promise<T>, []> {
  let calls = 0;
  return jest.fn(() => {
    calls += 1;
    return calls <= failures ? Promise.reject(error()) : Promise.resolve(value);
  });
}

/** Each test its own database name: breakers are per database and process. */
const database = (): string => `test_${randomUUID().replace(/-/g, '')}`;

describe('onShard', () => {
  it('turns an unreachable database into SHARD_UNAVAILABLE', async () => {
    const work = failingTimes(1, refused, 'rows');
    await expect(onShard(database(), work)).rejects.toMatchObject({ code: DomainErrorCode.ShardUnavailable });
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('tries idempotent work once more after a connection failure', async () => {
    const work = failingTimes(1, refused, 'rows');
    await expect(onShard(database(), work, { idempotent: true })).resolves.toBe('rows');
    expect(work).toHaveBeenCalledTimes(2);
  });

  it('never repeats work after a statement timeout, nor more than once', async () => {
    const timeout = failingTimes(
      5,
      () => Object.assign(new Error('canceling statement'), { code: '57014' }),
      1,
    );
    await expect(onShard(database(), timeout, { idempotent: true })).rejects.toBeInstanceOf(DomainError);
    expect(timeout).toHaveBeenCalledTimes(1);
    const down = failingTimes(5, refused, 1);
    await expect(onShard(database(), down, { idempotent: true })).rejects.toBeInstanceOf(DomainError);
    expect(down).toHaveBeenCalledTimes(2);
  });

  it("passes a query's own error through untouched", async () => {
    const violation = Object.assign(new Error('duplicate key'), { code: '23505' });
    await expect(onShard(database(), () => Promise.reject(violation), { idempotent: true })).rejects.toBe(
      violation,
    );
  });

  it('once the database failed five times in a row, refuses at once without touching it', async () => {
    const name = database();
    for (let n = 0; n < 5; n += 1)
      await onShard(name, () => Promise.reject(refused())).catch(() => undefined);
    const work = jest.fn(() => Promise.resolve('rows'));
    const error = (await onShard(name, work).catch((caught: unknown) => caught)) as DomainError;
    expect(error.code).toBe(DomainErrorCode.ShardUnavailable);
    expect(error.message).toMatch(/failing fast/);
    expect(work).not.toHaveBeenCalled();
  });
});
