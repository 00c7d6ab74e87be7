import 'reflect-metadata';
import { ConfigError, EosConfig, loadConfig, mintToken } from '@eos/common';
import { provision, shardMapFrom } from '@eos/persistence';
import { parseEntityId } from '@eos/sharding';
import { blinkCommand } from './blink.command';
import { checkDependencies } from './dependency-check';
import { emissionCommand } from './emission.command';
import { partnerCommand } from './partner.command';
import { payCommand } from './pay.command';
import { reconcileCommand } from './reconcile.command';
import { reshardCommand } from './reshard.command';
import { settlementCommand } from './settlement.command';
import { UsageError } from './usage.error';

const USAGE = `usage:
  eos setup                       check services, create databases and schemas, load demo data
  eos token customer <userId>     print a customer token
  eos token staff <staffId>       print a staff token
  eos pay <orderId> [--amount <cents>] [--fail] [--notification <id>] [--url <url>]
                                  send a signed payment callback, as the provider would
  eos settlement --date YYYY-MM-DD [--out <dir>]
                                  write <dir>/settlement-YYYY-MM-DD.csv (default dir ./settlements)
  eos emission status|on|off [--type <event type>]
                                  show or switch order-event emission, globally or per event type
  eos reconcile --from <ISO> --to <ISO> [--repair]
                                  compare the merchant dimension with the user dimension; repair drift
  eos partner create --merchant <id> [--merchant <id>...] | --delivery <partnerId>
                     [--rate <calls/s>] [--burst <calls>] [--label <text>]
                                  print new gRPC partner credentials as JSON (the secret only this once)
  eos reshard move <shard> <database> [--url <postgres url>]
                                  move a logical shard (both schemas) to another database, live
  eos reshard verify <shard> [--against <database>]
                                  compare a moved shard with its old copy, listing differences
  eos reshard status              the live shard map: version, shards per database, old copies
  eos partner revoke <partnerId>  revoke a partner credential
  eos partner assign --order <orderId> --delivery <partnerId>
                                  dispatch an order to a delivery partner (until pickup; again to re-assign)
  eos blink <command> [--credentials <file> | --partner-id <id> --secret <s>] [--url <host:port>]
                      [--deadline-ms <ms>]    a partner's gRPC calls (credentials also from
                                  EOS_PARTNER_ID / EOS_PARTNER_SECRET); commands:
      ping | watch [--merchant <id>] [--cursor <c>] | orders [--merchant <id>] [--status PAID]
      [--limit <n>] [--page <token>] | get|accept|ready <orderId> [--merchant <id>]
      | reject <orderId> --reason <text> | decide <orderId> --approve|--refuse [--reason <text>]
      | assigned [--status <s>] | pickup|deliver <orderId> | exception <orderId> --kind <KIND> [--note <text>]`;

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

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  const config = loadConfig();
  switch (command) {
    case 'setup':
      return setup(config);
    case 'token':
      return token(config, args[0], args[1]);
    case 'pay':
      return payCommand(config, args);
    case 'settlement':
      await settlementCommand(config, args);
      return;
    case 'emission':
      await emissionCommand(config, args);
      return;
    case 'reconcile':
      await reconcileCommand(config, args);
      return;
    case 'partner':
      await partnerCommand(config, args);
      return;
    case 'blink':
      await blinkCommand(config, args);
      return;
    case 'reshard':
      await reshardCommand(config, args);
      return;
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
