import { Client } from 'pg';
import { DataSource, MigrationInterface } from 'typeorm';
import { ShardMap, schemasOn } from '@eos/sharding';
import { CatalogSchema1764806400001 } from '../catalog/catalog.migration';
import { seedDemoCatalog } from '../catalog/catalog.seed';
import { shardSchemaMigrations } from '../migrations/shard-schema.migration';
import { PartnerCredentials1765065600006 } from '../partners/partner-credentials.migration';
import { StaffDirectory1765152000008 } from '../staff/staff.migration';
import { seedDemoStaff } from '../staff/staff.seed';

export interface ProvisionOptions {
  readonly shardMap: ShardMap;
  readonly catalogUrl: string;
  readonly seedDemoData: boolean;
  readonly log?: (line: string) => void;
}

const MIGRATIONS_TABLE = 'eos_migrations';
// Serialises provisioners (npm start beside a test run) on one server; the key is arbitrary but fixed.
const PROVISION_LOCK_KEY = 727_001;

function databaseName(url: string): string {
  const name = new URL(url).pathname.replace(/^\//, '');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new Error(`unsupported database name "${name}" in ${url}`);
  return name;
}

function adminUrl(url: string): string {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  return admin.toString();
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function ensureDatabase(url: string, log: (line: string) => void): Promise<void> {
  const name = databaseName(url);
  await withClient(adminUrl(url), async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return;
    try {
      await client.query(`CREATE DATABASE "${name}"`);
      log(`created database ${name}`);
    } catch (error) {
      // 42P04: another provisioner created it between our check and our create.
      if ((error as { code?: string }).code !== '42P04') throw error;
    }
  });
}

async function migrate(url: string, migrations: (new () => MigrationInterface)[]): Promise<string[]> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations,
    migrationsTableName: MIGRATIONS_TABLE,
    logging: false,
    extra: { max: 2 },
  });
  await dataSource.initialize();
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Creates every database of the shard map and the catalog, runs each database's migrations for
 * the shard schemas the map assigns to it, and loads the demo catalog. Safe to run again.
 */
export async function provision(options: ProvisionOptions): Promise<void> {
  const log = options.log ?? (() => undefined);
  const { shardMap, catalogUrl } = options;
  const urls = [...Object.values(shardMap.databases), catalogUrl];
  await withClient(adminUrl(catalogUrl), async (lock) => {
    await lock.query('SELECT pg_advisory_lock($1)', [PROVISION_LOCK_KEY]);
    try {
      for (const url of urls) await ensureDatabase(url, log);
      for (const [database, url] of Object.entries(shardMap.databases)) {
        const ran = await migrate(url, shardSchemaMigrations(schemasOn(shardMap, database)));
        if (ran.length) log(`migrated ${database}: ${ran.join(', ')}`);
      }
      const ran = await migrate(catalogUrl, [
        CatalogSchema1764806400001,
        PartnerCredentials1765065600006,
        StaffDirectory1765152000008,
      ]);
      if (ran.length) log(`migrated catalog: ${ran.join(', ')}`);
      if (options.seedDemoData) {
        const dataSource = new DataSource({ type: 'postgres', url: catalogUrl, extra: { max: 1 } });
        await dataSource.initialize();
        try {
          await seedDemoCatalog(dataSource);
          await seedDemoStaff(dataSource);
        } finally {
          await dataSource.destroy();
        }
      }
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [PROVISION_LOCK_KEY]);
    }
  });
}
