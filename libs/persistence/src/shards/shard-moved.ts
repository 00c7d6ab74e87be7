/**
 * The SQLSTATE that the write fence of a moved shard raises on its old database (see
 * resharding/shard-fence.sql.ts). Its DETAIL names the schema.
 */
export const SHARD_MOVED_SQLSTATE = 'EOS01';

export function isShardMoved(error: unknown): boolean {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  return candidate?.code === SHARD_MOVED_SQLSTATE || candidate?.driverError?.code === SHARD_MOVED_SQLSTATE;
}

/** The schema the fence names, when it does. */
export function movedSchemaOf(error: unknown): string | undefined {
  const candidate = error as { detail?: unknown; driverError?: { detail?: unknown } } | null;
  const detail = candidate?.detail ?? candidate?.driverError?.detail;
  return typeof detail === 'string' && /^[um][0-9]{3}$/.test(detail) ? detail : undefined;
}

/**
 * Waits until this follower routes `schema` away from `database` (true), or gives up (false).
 * A follower whose map never put the schema there answers false at once.
 */
export type MoveWaiter = (schema: string, database: string, withinMs: number) => Promise<boolean>;

const waiters = new Set<MoveWaiter>();

/** A shard-map follower of this process registers here; the returned function unregisters it. */
export function registerMoveWaiter(waiter: MoveWaiter): () => void {
  waiters.add(waiter);
  return () => waiters.delete(waiter);
}

/**
 * After a write hit the fence of `schema` on `database`: waits at most `withinMs` for the process's
 * shard map to route that schema elsewhere (the move switches the map right after fencing). True
 * when it did; false when the time ran out (the caller tries again where it was: a move that
 * failed its verification lifts its fence).
 */
export async function awaitShardMove(
  schema: string | undefined,
  database: string,
  withinMs: number,
): Promise<boolean> {
  if (schema === undefined || waiters.size === 0) {
    await new Promise((done) => setTimeout(done, withinMs));
    return false;
  }
  // The first follower that sees the move settles it: two apps in one process each have one.
  const startedAt = Date.now();
  const moved = await new Promise<boolean>((settle) => {
    let pending = waiters.size;
    for (const waiter of waiters) {
      waiter(schema, database, withinMs).then(
        (seen) => {
          pending -= 1;
          if (seen || pending === 0) settle(seen);
        },
        () => {
          pending -= 1;
          if (pending === 0) settle(false);
        },
      );
    }
  });
  // No follower is waiting on this database: still pause, so the caller's retries do not spin.
  const left = withinMs - (Date.now() - startedAt);
  if (!moved && left > 0) await new Promise((done) => setTimeout(done, left));
  return moved;
}
