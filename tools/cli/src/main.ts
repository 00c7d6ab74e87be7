import 'reflect-metadata';
import { ConfigError, EosConfig, loadConfig, mintToken } from '@eos/common';
import { provision, shardMapFrom } from '@eos/persistence';
import { parseEntityId } from '@eos/sharding';
import { checkDependencies } from './dependency-check';

const USAGE = `usage:
  eos setup                       check services, create databases and schemas, load demo data
  eos token customer <userId>     print a customer token
  eos token staff <staffId>       print a staff token`;

async function setup(config: EosConfig): Promise<void> {
  const shardMap = shardMapFrom(config);
  const urls = [...Object.values(shardMap.databases), config.CATALOG_DATABASE_URL];
  const problems = await checkDependencies(config, urls);
  if (problems.length) {
    for (const problem of problems) console.error(`eos setup: ${problem.message}`);
    process.exit(1);
  }
  await provision({
    shardMap,
    catalogUrl: config.CATALOG_DATABASE_URL,
    seedDemoData: true,
    log: (line) => console.log(`eos setup: ${line}`),
  });
  console.log(
    `eos setup: ready (${Object.keys(shardMap.databases).length} shard databases, catalog, demo data)`,
  );
}

function token(config: EosConfig, role: string | undefined, id: string | undefined): void {
  if ((role !== 'customer' && role !== 'staff') || id === undefined) throw new UsageError();
  parseEntityId(id, `${role} id`);
  console.log(mintToken(config.JWT_SECRET, role, id));
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  const config = loadConfig();
  switch (command) {
    case 'setup':
      return setup(config);
    case 'token':
      return token(config, args[0], args[1]);
    default:
      throw new UsageError();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(USAGE);
  } else if (error instanceof ConfigError) {
    console.error(`eos: ${error.message}`);
  } else {
    console.error(`eos: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
