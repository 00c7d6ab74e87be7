import type { ReadinessProbe } from '@eos/common';
import { ShardDataSources } from './shard-data-sources';

/** One readiness probe per physical shard database. */
export function shardProbes(sources: ShardDataSources): ReadinessProbe[] {
  return sources.entries().map(([database, source]) => ({
    name: `postgres:${database}`,
    check: async () => {
      await source.query('SELECT 1');
    },
  }));
}
