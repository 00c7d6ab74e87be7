import { LOGICAL_SHARDS, merchantSchemaName, userSchemaName, type ShardDimension } from './logical-shard';

export { LOGICAL_SHARDS } from './logical-shard';

/** Assigns every logical shard of both dimensions to a physical database. */
export interface ShardMap {
  /** Database name -> postgres URL. */
  readonly databases: Readonly<Record<string, string>>;
  /** Index = logical user shard 0..119, value = database name. */
  readonly user: readonly string[];
  /** Index = logical merchant shard 0..119, value = database name. */
  readonly merchant: readonly string[];
}

/** JSON form, e.g. {"databases":{...},"user":{"0-59":"eos_shard_0","60-119":"eos_shard_1"},"merchant":{...}}. */
export interface ShardMapJson {
  databases: Record<string, string>;
  user: Record<string, string>;
  merchant: Record<string, string>;
}

const DIMENSIONS: readonly ShardDimension[] = ['user', 'merchant'];
// Names key connection pools and appear in logs and metrics labels; keep them plain identifiers.
const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const RANGE = /^(0|[1-9][0-9]*)(?:-(0|[1-9][0-9]*))?$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function assertPostgresUrl(url: unknown, where: string): asserts url is string {
  if (typeof url !== 'string') throw new Error(`${where} must be a string URL`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${where} is not a valid URL`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`${where} must be a postgres:// or postgresql:// URL, got scheme "${parsed.protocol}"`);
  }
  if (parsed.hostname === '') throw new Error(`${where} has no host`);
}

/** Lists shards as compact ranges for messages: [3,4,5,9] -> "3-5, 9". */
function describeShards(shards: readonly number[]): string {
  const parts: string[] = [];
  let start = shards[0];
  for (let i = 1; i <= shards.length; i += 1) {
    const current = shards[i];
    const previous = shards[i - 1];
    if (current === undefined || current !== previous + 1) {
      parts.push(start === previous ? String(start) : `${start}-${previous}`);
      start = current;
    }
  }
  return parts.join(', ');
}

function parseDimension(
  dimension: ShardDimension,
  ranges: unknown,
  databases: Readonly<Record<string, string>>,
): string[] {
  if (!isPlainObject(ranges)) {
    throw new Error(`"${dimension}" must be an object of shard ranges to database names`);
  }
  const assigned: (string | undefined)[] = new Array<string | undefined>(LOGICAL_SHARDS).fill(undefined);
  const assignedBy: string[] = [];
  for (const [range, database] of Object.entries(ranges)) {
    const match = RANGE.exec(range);
    if (match === null) {
      throw new Error(`${dimension} range "${range}" must look like "0-59" or "7"`);
    }
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from > to) throw new Error(`${dimension} range "${range}" starts after it ends`);
    if (to >= LOGICAL_SHARDS) {
      throw new Error(`${dimension} range "${range}" exceeds the last logical shard ${LOGICAL_SHARDS - 1}`);
    }
    if (typeof database !== 'string') {
      throw new Error(`${dimension} range "${range}" must name a database as a string`);
    }
    if (!Object.prototype.hasOwnProperty.call(databases, database)) {
      throw new Error(`${dimension} range "${range}" names undeclared database "${database}"`);
    }
    for (let shard = from; shard <= to; shard += 1) {
      if (assigned[shard] !== undefined) {
        throw new Error(
          `${dimension} shard ${shard} is assigned twice (ranges "${assignedBy[shard]}" and "${range}")`,
        );
      }
      assigned[shard] = database;
      assignedBy[shard] = range;
    }
  }
  const missing: number[] = [];
  assigned.forEach((database, shard) => {
    if (database === undefined) missing.push(shard);
  });
  if (missing.length > 0) {
    throw new Error(`${dimension} shards ${describeShards(missing)} are not assigned to any database`);
  }
  return assigned as string[];
}

function parseDatabases(value: unknown): Record<string, string> {
  if (!isPlainObject(value)) throw new Error('"databases" must be an object of database names to URLs');
  const names = Object.keys(value);
  if (names.length === 0) throw new Error('"databases" declares no database');
  const databases: Record<string, string> = {};
  for (const name of names) {
    if (!DATABASE_NAME.test(name)) {
      throw new Error(`database name "${name}" must be a plain identifier (letters, digits, underscore)`);
    }
    const url = value[name];
    assertPostgresUrl(url, `URL of database "${name}"`);
    databases[name] = url;
  }
  return databases;
}

function freeze(databases: Record<string, string>, user: string[], merchant: string[]): ShardMap {
  return Object.freeze({
    databases: Object.freeze(databases),
    user: Object.freeze(user),
    merchant: Object.freeze(merchant),
  });
}

/**
 * Reads the shard map from its JSON form. Every logical shard of each dimension must be assigned
 * exactly once, to a declared database. Errors name the exact problem for the operator.
 */
export function parseShardMap(json: string): ShardMap {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error: unknown) {
    throw new Error(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isPlainObject(raw)) throw new Error('must be a JSON object with "databases", "user" and "merchant"');
  for (const key of Object.keys(raw)) {
    if (key !== 'databases' && key !== 'user' && key !== 'merchant') {
      throw new Error(`unknown key "${key}" (expected "databases", "user" and "merchant")`);
    }
  }
  for (const key of ['databases', ...DIMENSIONS]) {
    if (!(key in raw)) throw new Error(`missing "${key}"`);
  }
  const databases = parseDatabases(raw.databases);
  return freeze(
    databases,
    parseDimension('user', raw.user, databases),
    parseDimension('merchant', raw.merchant, databases),
  );
}

/**
 * Checks a map built in code (parseShardMap output always passes): 120 shards per dimension,
 * each on a declared database with a postgres URL.
 */
export function assertShardMap(map: ShardMap): void {
  for (const [name, url] of Object.entries(map.databases)) {
    if (!DATABASE_NAME.test(name)) throw new Error(`database name "${name}" must be a plain identifier`);
    assertPostgresUrl(url, `URL of database "${name}"`);
  }
  for (const dimension of DIMENSIONS) {
    const shards = map[dimension];
    if (shards.length !== LOGICAL_SHARDS) {
      throw new Error(`${dimension} must assign exactly ${LOGICAL_SHARDS} shards, got ${shards.length}`);
    }
    shards.forEach((database, shard) => {
      if (!Object.prototype.hasOwnProperty.call(map.databases, database)) {
        throw new Error(`${dimension} shard ${shard} names undeclared database "${database}"`);
      }
    });
  }
}

/**
 * Two databases on one server, with the dimensions crossed so that the user and merchant rows of
 * one order usually live on different databases: cross-database routing is always exercised.
 */
export function defaultShardMap(postgresBaseUrl: string): ShardMap {
  assertPostgresUrl(postgresBaseUrl, 'postgres base URL');
  const urlOf = (database: string): string => {
    const url = new URL(postgresBaseUrl);
    url.pathname = `/${database}`;
    return url.toString();
  };
  const first = 'eos_shard_0';
  const second = 'eos_shard_1';
  const half = LOGICAL_SHARDS / 2;
  const split = (low: string, high: string): string[] =>
    Array.from({ length: LOGICAL_SHARDS }, (_, shard) => (shard < half ? low : high));
  return freeze(
    { [first]: urlOf(first), [second]: urlOf(second) },
    split(first, second),
    split(second, first),
  );
}

/** The schemas a database holds, for migrations and provisioning that loop over them. */
export function schemasOn(map: ShardMap, database: string): { user: string[]; merchant: string[] } {
  const pick = (shards: readonly string[], schemaName: (shard: number) => string): string[] =>
    shards.flatMap((name, shard) => (name === database ? [schemaName(shard)] : []));
  return { user: pick(map.user, userSchemaName), merchant: pick(map.merchant, merchantSchemaName) };
}

function compress(shards: readonly string[]): Record<string, string> {
  const ranges: Record<string, string> = {};
  let start = 0;
  for (let shard = 1; shard <= shards.length; shard += 1) {
    if (shard === shards.length || shards[shard] !== shards[start]) {
      const end = shard - 1;
      ranges[start === end ? String(start) : `${start}-${end}`] = shards[start];
      start = shard;
    }
  }
  return ranges;
}

/** Back to the JSON form that parseShardMap reads, with consecutive shards merged into ranges. */
export function serializeShardMap(map: ShardMap): string {
  const json: ShardMapJson = {
    databases: { ...map.databases },
    user: compress(map.user),
    merchant: compress(map.merchant),
  };
  return JSON.stringify(json);
}
