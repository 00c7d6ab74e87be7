// Provisions the shard databases and the catalog once before the integration tests, exactly as
// `npm start` does, against the real local Postgres.
import 'reflect-metadata';
// Jest applies moduleNameMapper to tests, not to global setup: resolve the @eos aliases here.
import { register } from 'tsconfig-paths';
import { compilerOptions } from '../tsconfig.json';

register({ baseUrl: `${__dirname}/..`, paths: compilerOptions.paths });

export default async function globalSetup(): Promise<void> {
  // The apps under test log warnings and errors only (every test process inherits this); a test
  // about logs sets LOG_LEVEL itself.
  process.env.LOG_LEVEL ??= 'warn';
  // Nor do they warm their statements up before listening (a few seconds per start, dozens of
  // starts); checkout-warm-up.int-spec.ts tests the warm-up itself.
  process.env.PG_WARM_UP ??= 'false';
  // Required only after the aliases are registered.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadConfig } = require('@eos/common') as typeof import('@eos/common');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { provision, shardMapFrom } = require('@eos/persistence') as typeof import('@eos/persistence');
  const config = loadConfig();
  await provision({
    shardMap: shardMapFrom(config),
    catalogUrl: config.CATALOG_DATABASE_URL,
    seedDemoData: true,
  });
}
