import { LOGICAL_SHARDS, assertLogicalShard, merchantSchemaName, userSchemaName } from './logical-shard';
import { assertEntityId, parseEntityId, shardOfOrderId } from './order-id.codec';
import { assertShardMap, type ShardMap } from './shard-map';

export interface ShardRoute {
  /** Logical shard 0..119. */
  shard: number;
  /** Postgres schema holding the shard's tables, e.g. "u007" or "m042". */
  schema: string;
  /** Physical database name, a key of ShardMap.databases. */
  database: string;
}

const SHARD_COUNT = BigInt(LOGICAL_SHARDS);

function toEntityId(id: bigint | string, what: string): bigint {
  if (typeof id === 'string') return parseEntityId(id, what);
  assertEntityId(id, what);
  return id;
}

/**
 * Routes users, merchants and orders to their logical shard, schema and physical database.
 * Schema names come only from here, computed from a shard index, never from input.
 */
export class ShardRouter {
  static readonly LOGICAL_SHARDS = LOGICAL_SHARDS;
  readonly LOGICAL_SHARDS = LOGICAL_SHARDS;

  constructor(readonly map: ShardMap) {
    assertShardMap(map);
  }

  /** userId mod 120, in bigint arithmetic: ids go up to 2^63-1, past a double's exact range. */
  userShard(userId: bigint | string): number {
    return Number(toEntityId(userId, 'user id') % SHARD_COUNT);
  }

  merchantShard(merchantId: bigint | string): number {
    return Number(toEntityId(merchantId, 'merchant id') % SHARD_COUNT);
  }

  userSchema(shard: number): string {
    return userSchemaName(shard);
  }

  merchantSchema(shard: number): string {
    return merchantSchemaName(shard);
  }

  userDatabase(shard: number): string {
    assertLogicalShard(shard);
    return this.map.user[shard];
  }

  merchantDatabase(shard: number): string {
    assertLogicalShard(shard);
    return this.map.merchant[shard];
  }

  routeUser(userId: bigint | string): ShardRoute {
    return this.routeUserShard(this.userShard(userId));
  }

  routeMerchant(merchantId: bigint | string): ShardRoute {
    return this.routeMerchantShard(this.merchantShard(merchantId));
  }

  /** The order's user-dimension route, decoded from the shard gene of its id: no lookup. */
  routeOrder(orderId: bigint | string): ShardRoute {
    return this.routeUserShard(shardOfOrderId(orderId));
  }

  routeUserShard(shard: number): ShardRoute {
    return { shard, schema: userSchemaName(shard), database: this.map.user[shard] };
  }

  routeMerchantShard(shard: number): ShardRoute {
    return { shard, schema: merchantSchemaName(shard), database: this.map.merchant[shard] };
  }

  /** Every declared physical database, in map order. */
  databases(): string[] {
    return Object.keys(this.map.databases);
  }

  databaseUrl(database: string): string {
    if (!Object.prototype.hasOwnProperty.call(this.map.databases, database)) {
      throw new Error(`unknown shard database "${database}"`);
    }
    return this.map.databases[database];
  }
}
