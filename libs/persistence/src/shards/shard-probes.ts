import type { ReadinessProbe } from '@eos/common';
import { shardBreaker } from './shard-breakers';
import { ShardDataSources } from './shard-data-sources';

/**
 * Readiness of the shard databases: one probe per physical database, and, with more than one, a
 * probe that fails only when none answers. One database down fails only its own users (they get a
 * fast SHARD_UNAVAILABLE) while the others are served, so it is reported as degraded and the app
 * stays ready: a load balancer that pulled every instance out over it would fail every user.
 *
 * Each check goes through the database's circuit breaker: an open circuit is reported as such at
 * once, and a readiness poll after the pause doubles as the breaker's trial call, so a database
 * that came back closes its circuit even before user traffic reaches it.
 */
export function shardProbes(sources: ShardDataSources): ReadinessProbe[] {
  const databases = sources.entries();
  const ping = async (database: string): Promise<void> => {
    const source = sources.get(database);
    await shardBreaker(database).execute(() => source.query('SELECT 1'));
  };
  const probes: ReadinessProbe[] = databases.map(([database]) => ({
    name: `postgres:${database}`,
    degradesOnly: databases.length > 1,
    check: () => ping(database),
  }));
  if (databases.length > 1) {
    probes.push({
      name: 'postgres:any-shard',
      check: async () => {
        try {
          await Promise.any(databases.map(([database]) => ping(database)));
        } catch {
          throw new Error('no shard database answers');
        }
      },
    });
  }
  return probes;
}
