/** Logical shards per dimension (user and merchant). Not a power of two, so never mask ids with it. */
export const LOGICAL_SHARDS = 120;

export type ShardDimension = 'user' | 'merchant';

export function isLogicalShard(shard: number): boolean {
  return Number.isInteger(shard) && shard >= 0 && shard < LOGICAL_SHARDS;
}

export function assertLogicalShard(shard: number): void {
  if (!isLogicalShard(shard)) {
    throw new RangeError(
      `logical shard must be an integer in 0..${LOGICAL_SHARDS - 1}, got ${String(shard)}`,
    );
  }
}

// Schema names are built only here, from a validated shard index, so that no input ever reaches
// a schema-qualified SQL identifier.
export function userSchemaName(shard: number): string {
  assertLogicalShard(shard);
  return `u${String(shard).padStart(3, '0')}`;
}

export function merchantSchemaName(shard: number): string {
  assertLogicalShard(shard);
  return `m${String(shard).padStart(3, '0')}`;
}
