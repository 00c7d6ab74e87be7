import type { ShardRouter } from '@eos/sharding';
import { Client } from 'pg';

/** Connections the app's catalog pool holds (CatalogPersistenceModule). */
const APP_CATALOG_POOL = 4;

/**
 * Warns when the app's pools and the ceiling's pools, both open for the whole benchmark, would not
 * fit in a Postgres server's max_connections: the overflow fails with SQLSTATE 53300 ("too many
 * clients") and would show up as errors of whichever side connects last.
 */
export async function connectionBudgetWarnings(
  router: ShardRouter,
  catalogUrl: string,
  poolSize: number,
): Promise<string[]> {
  const servers = new Map<string, { url: string; needed: number }>();
  for (const database of router.databases()) {
    const url = router.databaseUrl(database);
    const server = servers.get(serverOf(url)) ?? { url, needed: 0 };
    server.needed += 2 * poolSize; // the app's pool and the ceiling's pool
    servers.set(serverOf(url), server);
  }
  const catalogServer = servers.get(serverOf(catalogUrl));
  if (catalogServer) catalogServer.needed += APP_CATALOG_POOL;

  const warnings: string[] = [];
  for (const [name, { url, needed }] of servers) {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const max = await client.query<{ max_connections: string }>('SHOW max_connections');
      const used = await client.query<{ count: string }>(
        'SELECT count(*)::text AS count FROM pg_stat_activity',
      );
      const free = Number(max.rows[0].max_connections) - Number(used.rows[0].count);
      if (needed > free) {
        warnings.push(
          `Postgres at ${name} has ${free} free connections but the app and the ceiling may hold ${needed} ` +
            `(PG_POOL_SIZE=${poolSize}); expect "pg 53300" / HTTP 500 errors`,
        );
      }
    } finally {
      await client.end();
    }
  }
  return warnings;
}

function serverOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}`;
}
