// Provisions the shard databases and the catalog once before the integration tests, exactly as
// `npm start` does, against the real local Postgres.
import { loadConfig } from '../libs/common/src';
import { provision, shardMapFrom } from '../libs/persistence/src';

export default async function globalSetup(): Promise<void> {
  const config = loadConfig();
  await provision({
    shardMap: shardMapFrom(config),
    catalogUrl: config.CATALOG_DATABASE_URL,
    seedDemoData: true,
  });
}
