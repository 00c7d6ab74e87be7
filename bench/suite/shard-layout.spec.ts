import { LOGICAL_SHARDS, parseShardMap } from '@eos/sharding';
import { benchDatabaseNames, benchShardMapJson } from './shard-layout';

describe('benchShardMapJson', () => {
  it.each([1, 2, 3, 4])('spreads every shard over %i bench databases, evenly', (count) => {
    const map = parseShardMap(benchShardMapJson('postgres://postgres@127.0.0.1:5432', count));
    expect(Object.keys(map.databases)).toEqual(benchDatabaseNames(count));
    expect(map.user).toHaveLength(LOGICAL_SHARDS);
    for (const name of benchDatabaseNames(count)) {
      expect(map.user.filter((database) => database === name)).toHaveLength(LOGICAL_SHARDS / count);
      expect(map.merchant.filter((database) => database === name)).toHaveLength(LOGICAL_SHARDS / count);
    }
    expect(map.databases[`eos_bench_${count}db_0`]).toBe(
      `postgres://postgres@127.0.0.1:5432/eos_bench_${count}db_0`,
    );
  });

  it('shifts the merchant ranges by one database against the user ranges', () => {
    const map = parseShardMap(benchShardMapJson('postgres://postgres@127.0.0.1:5432', 4));
    expect([map.user[0], map.merchant[0]]).toEqual(['eos_bench_4db_0', 'eos_bench_4db_1']);
    expect([map.user[119], map.merchant[119]]).toEqual(['eos_bench_4db_3', 'eos_bench_4db_0']);
  });

  it('refuses a count the 120 shards cannot be spread over', () => {
    expect(() => benchShardMapJson('postgres://postgres@127.0.0.1:5432', 0)).toThrow(RangeError);
    expect(() => benchShardMapJson('postgres://postgres@127.0.0.1:5432', 121)).toThrow(RangeError);
  });
});
