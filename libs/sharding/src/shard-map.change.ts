import { assertLogicalShard, merchantSchemaName, userSchemaName, type ShardDimension } from './logical-shard';
import { assertPostgresUrl, assertShardMap, type ShardMap } from './shard-map';

/** A shard map as stored in the catalog: every change gets the next version. */
export interface VersionedShardMap {
  readonly version: number;
  readonly map: ShardMap;
}

/** One logical shard of one dimension that sits on another database in a newer map. */
export interface ShardReassignment {
  readonly dimension: ShardDimension;
  readonly shard: number;
  readonly schema: string;
  readonly from: string;
  readonly to: string;
}

export interface ShardMapDiff {
  readonly addedDatabases: readonly string[];
  readonly removedDatabases: readonly string[];
  readonly reassigned: readonly ShardReassignment[];
}

const DIMENSIONS: readonly ShardDimension[] = ['user', 'merchant'];

function schemaOf(dimension: ShardDimension, shard: number): string {
  return dimension === 'user' ? userSchemaName(shard) : merchantSchemaName(shard);
}

/** What changed from `before` to `after`: for log lines and for opening pools before routing there. */
export function diffShardMaps(before: ShardMap, after: ShardMap): ShardMapDiff {
  const reassigned: ShardReassignment[] = [];
  for (const dimension of DIMENSIONS) {
    after[dimension].forEach((to, shard) => {
      const from = before[dimension][shard];
      if (from !== to) reassigned.push({ dimension, shard, schema: schemaOf(dimension, shard), from, to });
    });
  }
  const names = (map: ShardMap): string[] => Object.keys(map.databases);
  return {
    addedDatabases: names(after).filter((name) => !(name in before.databases)),
    removedDatabases: names(before).filter((name) => !(name in after.databases)),
    reassigned,
  };
}

export function isEmptyDiff(diff: ShardMapDiff): boolean {
  return diff.addedDatabases.length + diff.removedDatabases.length + diff.reassigned.length === 0;
}

/** "u007 eos_shard_0 -> eos_shard_2, m007 eos_shard_1 -> eos_shard_2; added eos_shard_2". */
export function describeDiff(diff: ShardMapDiff): string {
  const parts = diff.reassigned.map((move) => `${move.schema} ${move.from} -> ${move.to}`);
  if (diff.addedDatabases.length > 0) parts.push(`added ${diff.addedDatabases.join(', ')}`);
  if (diff.removedDatabases.length > 0) parts.push(`removed ${diff.removedDatabases.join(', ')}`);
  return parts.length === 0 ? 'no change' : parts.join('; ');
}

/** The map with one more database declared (no shard on it yet). Refuses a name taken by another URL. */
export function declareDatabase(map: ShardMap, name: string, url: string): ShardMap {
  assertPostgresUrl(url, `URL of database "${name}"`);
  const existing = map.databases[name] as string | undefined;
  if (existing !== undefined && existing !== url) {
    throw new Error(`database "${name}" is already declared with another URL`);
  }
  const next: ShardMap = { ...map, databases: { ...map.databases, [name]: url } };
  assertShardMap(next);
  return next;
}

/** The map with both dimensions of logical shard `shard` on `database`. */
export function reassignShard(map: ShardMap, shard: number, database: string): ShardMap {
  assertLogicalShard(shard);
  if (!Object.prototype.hasOwnProperty.call(map.databases, database)) {
    throw new Error(`unknown database "${database}"`);
  }
  const move = (shards: readonly string[]): string[] =>
    shards.map((name, index) => (index === shard ? database : name));
  const next: ShardMap = { databases: map.databases, user: move(map.user), merchant: move(map.merchant) };
  assertShardMap(next);
  return next;
}

/** One schema of a shard move: where it is and where it goes. */
export interface SchemaMove {
  readonly dimension: ShardDimension;
  readonly schema: string;
  readonly from: string;
  readonly to: string;
}

export interface ShardMovePlan {
  readonly shard: number;
  readonly target: string;
  /** The schemas not yet on the target, user dimension first; one or two. */
  readonly schemas: readonly SchemaMove[];
}

/**
 * Which schemas a move of `shard` to `target` must copy. Refuses an unknown shard or database, and
 * a shard whose two schemas are already both on the target (nothing to move).
 */
export function planShardMove(map: ShardMap, shard: number, target: string): ShardMovePlan {
  if (!Number.isInteger(shard) || shard < 0 || shard >= map.user.length) {
    throw new Error(`unknown logical shard ${String(shard)} (expected 0..${map.user.length - 1})`);
  }
  if (!Object.prototype.hasOwnProperty.call(map.databases, target)) {
    throw new Error(
      `unknown database "${target}": declared are ${Object.keys(map.databases).join(', ')} (declare a new one with --url)`,
    );
  }
  const schemas: SchemaMove[] = [];
  for (const dimension of DIMENSIONS) {
    const from = map[dimension][shard];
    if (from !== target) schemas.push({ dimension, schema: schemaOf(dimension, shard), from, to: target });
  }
  if (schemas.length === 0) throw new Error(`logical shard ${shard} is already on ${target}`);
  return { shard, target, schemas };
}
