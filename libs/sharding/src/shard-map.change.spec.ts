import { LOGICAL_SHARDS } from './logical-shard';
import {
  declareDatabase,
  describeDiff,
  diffShardMaps,
  isEmptyDiff,
  planShardMove,
  reassignShard,
} from './shard-map.change';
import { defaultShardMap, parseShardMap, serializeShardMap } from './shard-map';
import { ShardRouter } from './shard-router';

const base = defaultShardMap('postgres://postgres@127.0.0.1:5432');
const withThird = declareDatabase(base, 'eos_shard_2', 'postgres://postgres@127.0.0.1:5432/eos_shard_2');

describe('shard map changes', () => {
  it('declares a database without assigning it a shard, and refuses a name taken by another URL', () => {
    expect(Object.keys(withThird.databases)).toEqual(['eos_shard_0', 'eos_shard_1', 'eos_shard_2']);
    expect(withThird.user).toEqual(base.user);
    expect(declareDatabase(withThird, 'eos_shard_2', withThird.databases.eos_shard_2)).toEqual(withThird);
    expect(() => declareDatabase(withThird, 'eos_shard_2', 'postgres://elsewhere/x')).toThrow(/another URL/);
    expect(() => declareDatabase(base, 'x', 'mysql://h/x')).toThrow(/postgres/);
  });

  it('reassigns both dimensions of one logical shard and nothing else', () => {
    const moved = reassignShard(withThird, 7, 'eos_shard_2');
    expect(moved.user[7]).toBe('eos_shard_2');
    expect(moved.merchant[7]).toBe('eos_shard_2');
    const diff = diffShardMaps(withThird, moved);
    expect(diff.reassigned).toEqual([
      { dimension: 'user', shard: 7, schema: 'u007', from: 'eos_shard_0', to: 'eos_shard_2' },
      { dimension: 'merchant', shard: 7, schema: 'm007', from: 'eos_shard_1', to: 'eos_shard_2' },
    ]);
    expect(describeDiff(diff)).toBe('u007 eos_shard_0 -> eos_shard_2; m007 eos_shard_1 -> eos_shard_2');
    expect(() => reassignShard(withThird, 7, 'nowhere')).toThrow(/unknown database/);
    expect(() => reassignShard(withThird, LOGICAL_SHARDS, 'eos_shard_2')).toThrow(RangeError);
  });

  it('diffs added databases and finds no change between equal maps', () => {
    expect(diffShardMaps(base, withThird).addedDatabases).toEqual(['eos_shard_2']);
    expect(describeDiff(diffShardMaps(base, withThird))).toBe('added eos_shard_2');
    expect(isEmptyDiff(diffShardMaps(base, parseShardMap(serializeShardMap(base))))).toBe(true);
  });

  it('plans the schemas a move must copy and refuses bad input', () => {
    expect(planShardMove(withThird, 7, 'eos_shard_2').schemas.map((move) => move.schema)).toEqual([
      'u007',
      'm007',
    ]);
    // u007 already sits on eos_shard_0: only the merchant schema moves.
    expect(planShardMove(withThird, 7, 'eos_shard_0').schemas).toEqual([
      { dimension: 'merchant', schema: 'm007', from: 'eos_shard_1', to: 'eos_shard_0' },
    ]);
    const moved = reassignShard(withThird, 7, 'eos_shard_2');
    expect(() => planShardMove(moved, 7, 'eos_shard_2')).toThrow(/already on eos_shard_2/);
    expect(() => planShardMove(withThird, 120, 'eos_shard_2')).toThrow(/unknown logical shard 120/);
    expect(() => planShardMove(withThird, 1.5, 'eos_shard_2')).toThrow(/unknown logical shard/);
    expect(() => planShardMove(withThird, 7, 'eos_shard_9')).toThrow(/unknown database "eos_shard_9".*--url/);
  });
});

describe('ShardRouter with a replaceable map', () => {
  it('routes taken before a map change read the new database afterwards', () => {
    const router = new ShardRouter(withThird);
    const route = router.routeUserShard(7);
    const merchantRoute = router.routeMerchantShard(7);
    expect(route).toEqual({ shard: 7, schema: 'u007', database: 'eos_shard_0' });
    router.replaceMap(reassignShard(withThird, 7, 'eos_shard_2'));
    expect(route.database).toBe('eos_shard_2');
    expect(merchantRoute.database).toBe('eos_shard_2');
    expect(router.routeUser('127').database).toBe('eos_shard_2');
    expect(router.routeUser('8').database).toBe('eos_shard_0');
  });

  it('refuses an invalid replacement and keeps the map in force', () => {
    const router = new ShardRouter(base);
    expect(() => router.replaceMap({ ...base, user: base.user.slice(1) })).toThrow(/exactly 120/);
    expect(router.map).toBe(base);
  });
});
