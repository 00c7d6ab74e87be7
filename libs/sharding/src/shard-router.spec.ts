import fc from 'fast-check';
import { DomainError, DomainErrorCode } from '@eos/domain';
import { MAX_INT64, encodeOrderId } from './order-id.codec';
import { defaultShardMap, parseShardMap } from './shard-map';
import { ShardRouter } from './shard-router';

const map = defaultShardMap('postgres://postgres@127.0.0.1:5432');
const router = new ShardRouter(map);
const anyId = fc.bigInt({ min: 1n, max: MAX_INT64 });

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error: unknown) {
    return error instanceof DomainError ? error.code : 'other';
  }
  return undefined;
}

describe('ShardRouter', () => {
  it('lists the user shards of each database, together every shard once', () => {
    const first = router.userRoutesOn('eos_shard_0');
    const second = router.userRoutesOn('eos_shard_1');
    expect(first.map((route) => route.shard)).toEqual(Array.from({ length: 60 }, (_, shard) => shard));
    expect(second.map((route) => route.schema)).toEqual(
      Array.from({ length: 60 }, (_, i) => `u${String(60 + i).padStart(3, '0')}`),
    );
    expect(second.every((route) => route.database === 'eos_shard_1')).toBe(true);
    expect(router.userRoutesOn('no_such_database')).toEqual([]);
  });

  it('groups the user shards by database, leaving out a database that holds none', () => {
    const split = new ShardRouter(
      parseShardMap(
        JSON.stringify({
          databases: { a: 'postgres://h/a', b: 'postgres://h/b', m: 'postgres://h/m' },
          user: { '0-9': 'b', '10-119': 'a' },
          merchant: { '0-119': 'm' },
        }),
      ),
    );
    const byDatabase = split.userRoutesByDatabase();
    expect([...byDatabase.keys()]).toEqual(['a', 'b']);
    expect(byDatabase.get('a')?.map((route) => route.shard)).toEqual(
      Array.from({ length: 110 }, (_, i) => 10 + i),
    );
    expect(byDatabase.get('b')).toEqual(split.userRoutesOn('b'));
  });

  it('has 120 logical shards', () => {
    expect(ShardRouter.LOGICAL_SHARDS).toBe(120);
    expect(router.LOGICAL_SHARDS).toBe(120);
  });

  it('routes 10,000 random user ids to id mod 120, its u-schema and the mapped database', () => {
    fc.assert(
      fc.property(anyId, fc.boolean(), (id, asString) => {
        const shard = Number(id % 120n);
        const route = router.routeUser(asString ? id.toString() : id);
        expect(route).toEqual({
          shard,
          schema: `u${String(shard).padStart(3, '0')}`,
          database: shard < 60 ? 'eos_shard_0' : 'eos_shard_1',
        });
        expect(router.userShard(id)).toBe(shard);
        expect(route.schema).toMatch(/^u\d{3}$/);
      }),
      { numRuns: 10_000 },
    );
  });

  it('routes 10,000 random merchant ids to id mod 120, its m-schema and the mapped database', () => {
    fc.assert(
      fc.property(anyId, fc.boolean(), (id, asString) => {
        const shard = Number(id % 120n);
        const route = router.routeMerchant(asString ? id.toString() : id);
        expect(route).toEqual({
          shard,
          schema: `m${String(shard).padStart(3, '0')}`,
          database: shard < 60 ? 'eos_shard_1' : 'eos_shard_0',
        });
        expect(router.merchantShard(id.toString())).toBe(shard);
      }),
      { numRuns: 10_000 },
    );
  });

  it('is exact where doubles are not: ids just below 2^63', () => {
    expect(router.userShard(MAX_INT64)).toBe(Number(MAX_INT64 % 120n));
    expect(router.userShard('9223372036854775807')).toBe(7);
    expect(router.userShard('9223372036854775680')).toBe(0);
  });

  it('routes an order by the shard gene of its id to the user dimension', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 2), max: Date.UTC(2090, 0, 1) }),
        fc.integer({ min: 0, max: 119 }),
        fc.integer({ min: 0, max: 63 }),
        fc.integer({ min: 0, max: 511 }),
        (timestampMs, shard, worker, sequence) => {
          const id = encodeOrderId({ timestampMs, shard, worker, sequence });
          const expected = router.routeUserShard(shard);
          expect(router.routeOrder(id)).toEqual(expected);
          expect(router.routeOrder(id.toString())).toEqual(expected);
        },
      ),
    );
  });

  it('pads schema names to three digits', () => {
    expect(router.userSchema(7)).toBe('u007');
    expect(router.merchantSchema(42)).toBe('m042');
    expect(router.userSchema(119)).toBe('u119');
    expect(router.merchantSchema(0)).toBe('m000');
  });

  it.each([-1, 120, 2.5, Number.NaN])('refuses schema and database lookups for shard %p', (shard) => {
    expect(() => router.userSchema(shard)).toThrow(RangeError);
    expect(() => router.merchantSchema(shard)).toThrow(RangeError);
    expect(() => router.userDatabase(shard)).toThrow(RangeError);
  });

  it.each<unknown>(['0', '-7', '12a', '1 OR 1=1', '', 0n, -1n, 2n ** 63n])(
    'refuses id %p with INVALID_ID',
    (id) => {
      expect(codeOf(() => router.routeUser(id as string))).toBe(DomainErrorCode.InvalidId);
      expect(codeOf(() => router.routeMerchant(id as string))).toBe(DomainErrorCode.InvalidId);
    },
  );

  it('refuses an order id whose shard gene is not a logical shard', () => {
    const forged = (1n << 22n) | (125n << 15n);
    expect(codeOf(() => router.routeOrder(forged.toString()))).toBe(DomainErrorCode.InvalidId);
  });

  it('lists databases and their URLs', () => {
    expect(router.databases()).toEqual(['eos_shard_0', 'eos_shard_1']);
    expect(router.databaseUrl('eos_shard_1')).toBe('postgres://postgres@127.0.0.1:5432/eos_shard_1');
    expect(() => router.databaseUrl('nope')).toThrow(/unknown shard database/);
  });

  it('follows a custom map', () => {
    const custom = parseShardMap(
      JSON.stringify({
        databases: { a: 'postgres://h/a', b: 'postgres://h/b', c: 'postgres://h/c' },
        user: { '0-39': 'a', '40-79': 'b', '80-119': 'c' },
        merchant: { '0-119': 'c' },
      }),
    );
    const customRouter = new ShardRouter(custom);
    expect(customRouter.routeUser('45')).toEqual({ shard: 45, schema: 'u045', database: 'b' });
    expect(customRouter.routeUser('205')).toEqual({ shard: 85, schema: 'u085', database: 'c' });
    expect(customRouter.routeMerchant('45').database).toBe('c');
  });

  it('refuses a hand-built map with a wrong shard count or undeclared database', () => {
    expect(() => new ShardRouter({ ...map, user: map.user.slice(1) })).toThrow(/exactly 120 shards/);
    expect(() => new ShardRouter({ ...map, merchant: map.merchant.map(() => 'x') })).toThrow(
      /merchant shard 0 names undeclared database "x"/,
    );
  });
});
