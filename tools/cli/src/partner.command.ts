import { parseArgs } from 'node:util';
import {
  EosConfig,
  PARTNER_ID_METADATA,
  PARTNER_SECRET_METADATA,
  hashPartnerSecret,
  newPartnerSecret,
} from '@eos/common';
import { DISPATCHABLE_STATUSES } from '@eos/domain';
import {
  DeliveryAssignmentRepository,
  PartnerCredentialRepository,
  ShardDataSources,
  createPostgresDataSource,
  shardMapFrom,
} from '@eos/persistence';
import { ShardRouter, parseEntityId, parseOrderId } from '@eos/sharding';
import { UsageError } from './usage.error';

const POSITIVE = /^[1-9][0-9]{0,8}$/;

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        merchant: { type: 'string', multiple: true },
        delivery: { type: 'string' },
        order: { type: 'string' },
        rate: { type: 'string' },
        burst: { type: 'string' },
        label: { type: 'string' },
      },
    });
  } catch {
    throw new UsageError();
  }
}

function limit(value: string | undefined): number | null {
  if (value === undefined) return null;
  if (!POSITIVE.test(value)) throw new UsageError();
  return Number(value);
}

async function withCredentials<T>(
  config: EosConfig,
  work: (repository: PartnerCredentialRepository) => Promise<T>,
) {
  const dataSource = createPostgresDataSource(config.CATALOG_DATABASE_URL, {
    poolSize: 1,
    statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: config.PG_CONNECT_TIMEOUT_MS,
    applicationName: 'eos-cli-partner',
  });
  await dataSource.initialize();
  try {
    return await work(new PartnerCredentialRepository(dataSource));
  } finally {
    await dataSource.destroy();
  }
}

/**
 * `eos partner create --merchant <id> [--merchant <id>...] | --delivery <partnerId>
 *  [--rate <calls/s>] [--burst <calls>] [--label <text>]` prints new gRPC credentials as JSON (the
 *  secret is shown this once and stored only as its SHA-256);
 * `eos partner revoke <partnerId>` revokes a credential;
 * `eos partner assign --order <orderId> --delivery <partnerId>` dispatches an order to a delivery
 *  partner (paid and not yet picked up; again to re-assign).
 */
export async function partnerCommand(config: EosConfig, args: string[]): Promise<void> {
  const { values, positionals } = parse(args);
  const [action, ...rest] = positionals;
  switch (action) {
    case 'create':
      return create(config, rest, values);
    case 'revoke':
      return revoke(config, rest);
    case 'assign':
      return assign(config, rest, values);
    default:
      throw new UsageError();
  }
}

async function create(
  config: EosConfig,
  rest: string[],
  values: ReturnType<typeof parse>['values'],
): Promise<void> {
  const merchantIds = (values.merchant ?? []).map((id) => parseEntityId(id, 'merchant id').toString());
  const deliveryPartnerId =
    values.delivery === undefined ? null : parseEntityId(values.delivery, 'delivery partner id').toString();
  if (rest.length > 0 || merchantIds.length > 0 === (deliveryPartnerId !== null)) throw new UsageError();
  const secret = newPartnerSecret();
  const record = await withCredentials(config, (repository) =>
    repository.create({
      kind: deliveryPartnerId === null ? 'MERCHANT' : 'DELIVERY',
      merchantIds: [...new Set(merchantIds)],
      deliveryPartnerId,
      secretSha256: hashPartnerSecret(secret),
      ratePerSecond: limit(values.rate),
      burst: limit(values.burst),
      label: values.label ?? null,
    }),
  );
  console.log(
    JSON.stringify(
      {
        partnerId: record.id,
        secret,
        kind: record.kind,
        ...(record.kind === 'MERCHANT'
          ? { merchantIds: record.merchantIds }
          : { deliveryPartnerId: record.deliveryPartnerId }),
        ratePerSecond: record.ratePerSecond ?? config.BLINK_RATE_PER_SECOND,
        burst: record.burst ?? config.BLINK_RATE_BURST,
        metadata: { [PARTNER_ID_METADATA]: record.id, [PARTNER_SECRET_METADATA]: secret },
        grpc: `127.0.0.1:${config.BLINK_PORT}`,
        createdAt: record.createdAt.toISOString(),
      },
      null,
      2,
    ),
  );
}

async function revoke(config: EosConfig, rest: string[]): Promise<void> {
  const [partnerId] = rest;
  if (partnerId === undefined || rest.length !== 1) throw new UsageError();
  parseEntityId(partnerId, 'partner id');
  const revoked = await withCredentials(config, (repository) => repository.revoke(partnerId, new Date()));
  console.log(JSON.stringify({ partnerId, revoked }));
  if (!revoked) throw new Error(`partner ${partnerId} does not exist or was revoked already`);
}

async function assign(
  config: EosConfig,
  rest: string[],
  values: ReturnType<typeof parse>['values'],
): Promise<void> {
  if (rest.length > 0 || values.order === undefined || values.delivery === undefined) throw new UsageError();
  const orderId = parseOrderId(values.order).toString();
  const deliveryPartnerId = parseEntityId(values.delivery, 'delivery partner id').toString();
  const map = shardMapFrom(config);
  const sources = new ShardDataSources(map, {
    poolSize: 1,
    statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: config.PG_CONNECT_TIMEOUT_MS,
    applicationName: 'eos-cli-dispatch',
  });
  await sources.initialize();
  try {
    const outcome = await new DeliveryAssignmentRepository(sources, new ShardRouter(map)).assign(
      orderId,
      deliveryPartnerId,
      new Date(),
      DISPATCHABLE_STATUSES,
    );
    console.log(JSON.stringify({ orderId, deliveryPartnerId, ...outcome }));
    if (outcome.kind !== 'assigned') {
      throw new Error(
        outcome.kind === 'not-found'
          ? `order ${orderId} does not exist`
          : `order ${orderId} is ${outcome.status}; only ${DISPATCHABLE_STATUSES.join(', ')} orders can be dispatched`,
      );
    }
  } finally {
    await sources.destroy();
  }
}
