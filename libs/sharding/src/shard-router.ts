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
 *
 * The map is replaceable at run time (a shard moved to another database, see ShardMapFollower).
 * A route's `database` is read from the current map each time it is read, so work that is retried
 * after a move (onShard, on the 'shard moved' error) lands on the new database without its caller
 * routing again.
 */
export class ShardRouter {
  static readonly LOGICAL_SHARDS = LOGICAL_SHARDS;
  readonly LOGICAL_SHARDS = LOGICAL_SHARDS;
  private current: ShardMap;

  constructor(map: ShardMap) {
    assertShardMap(map);
    this.current = map;
  }

  /** The map in force now; a later read may return a newer one. */
  get map(): ShardMap {
    return this.current;
  }

  /** Installs a newer map (the caller has opened pools for any database it adds). */
  replaceMap(next: ShardMap): void {
    assertShardMap(next);
    this.current = next;
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
    return this.current.user[shard];
  }

  merchantDatabase(shard: number): string {
    assertLogicalShard(shard);
    return this.current.merchant[shard];
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
    const databaseNow = (): string => this.current.user[shard];
    return {
      shard,
      schema: userSchemaName(shard),
      get database(): string {
        return databaseNow();
      },
    };
  }

  routeMerchantShard(shard: number): ShardRoute {
    const databaseNow = (): string => this.current.merchant[shard];
    return {
      shard,
      schema: merchantSchemaName(shard),
      get database(): string {
        return databaseNow();
      },
    };
  }

  /** The user shards the map places on `database` now, in shard order. */
  userRoutesOn(database: string): ShardRoute[] {
    const routes: ShardRoute[] = [];
    for (let shard = 0; shard < LOGICAL_SHARDS; shard += 1) {
      if (this.current.user[shard] === database) routes.push(this.routeUserShard(shard));
    }
    return routes;
  }

  /** The user shards of every database that holds any, in map order, each in shard order. */
  userRoutesByDatabase(): Map<string, ShardRoute[]> {
    const byDatabase = new Map<string, ShardRoute[]>();
    for (const database of this.databases()) {
      const routes = this.userRoutesOn(database);
      if (routes.length > 0) byDatabase.set(database, routes);
    }
    return byDatabase;
  }

  /** Every declared physical database, in map order. */
  databases(): string[] {
    return Object.keys(this.current.databases);
  }

  databaseUrl(database: string): string {
    if (!Object.prototype.hasOwnProperty.call(this.current.databases, database)) {
      throw new Error(`unknown shard database "${database}"`);
    }
    return this.current.databases[database];
  }
}

/**
 * A ShardMap whose every read answers from the router's map in force, for code that was handed a
 * map once (at construction) and reads it per call: it follows moves without knowing of them.
 */
export function liveShardMap(router: ShardRouter): ShardMap {
  return {
    get databases() {
      return router.map.databases;
    },
    get user() {
      return router.map.user;
    },
    get merchant() {
      return router.map.merchant;
    },
  };
}
