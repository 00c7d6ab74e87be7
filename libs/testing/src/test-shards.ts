import { EosConfig, loadConfig } from '@eos/common';
import { ShardDataSources, shardMapFrom } from '@eos/persistence';
import { ShardMap, ShardRouter } from '@eos/sharding';

export interface TestShards {
  readonly config: EosConfig;
  readonly map: ShardMap;
  readonly router: ShardRouter;
  /** Not yet initialised: call `sources.initialize()` in beforeAll and `destroy()` in afterAll. */
  readonly sources: ShardDataSources;
}

/** The configured shard databases for a medium test, on small pools named after the test. */
export function testShards(name: string, poolSize = 4): TestShards {
  const config = loadConfig();
  const map = shardMapFrom(config);
  const sources = new ShardDataSources(map, {
    poolSize,
    statementTimeoutMs: 5000,
    connectTimeoutMs: 2000,
    applicationName: `eos-test-${name}`,
  });
  return { config, map, router: new ShardRouter(map), sources };
}
