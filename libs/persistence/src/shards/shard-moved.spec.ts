import { awaitShardMove, isShardMoved, movedSchemaOf, registerMoveWaiter } from './shard-moved';

describe('shard moved errors', () => {
  it('recognises the fence SQLSTATE, on pg errors and TypeORM wrappers', () => {
    expect(isShardMoved({ code: 'EOS01', detail: 'u007' })).toBe(true);
    expect(isShardMoved({ driverError: { code: 'EOS01' } })).toBe(true);
    expect(isShardMoved({ code: '23505' })).toBe(false);
    expect(isShardMoved(null)).toBe(false);
    expect(movedSchemaOf({ code: 'EOS01', detail: 'm042' })).toBe('m042');
    expect(movedSchemaOf({ code: 'EOS01', detail: 'anything else' })).toBeUndefined();
  });

  it('waits for the first follower that sees the move; without one, no retry', async () => {
    expect(await awaitShardMove('u007', 'eos_shard_0', 10)).toBe(false);
    const slow = registerMoveWaiter(() => new Promise((done) => setTimeout(() => done(false), 1000)));
    const fast = registerMoveWaiter(
      async (schema, database) => schema === 'u007' && database === 'eos_shard_0',
    );
    const startedAt = Date.now();
    expect(await awaitShardMove('u007', 'eos_shard_0', 5000)).toBe(true);
    expect(Date.now() - startedAt).toBeLessThan(500);
    expect(await awaitShardMove(undefined, 'eos_shard_0', 10)).toBe(false);
    slow();
    fast();
  });
});
