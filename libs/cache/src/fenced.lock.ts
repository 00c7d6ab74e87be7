import type Redis from 'ioredis';

/** A held lock: its fencing token is strictly greater than any earlier holder's. */
export interface FencedLease {
  readonly name: string;
  readonly token: number;
  /** Frees the lock if this lease still holds it; a lease that already expired frees nothing. */
  release(): Promise<void>;
}

// Takes the lock only if free, and issues the next token in the same step. The token never goes
// below the caller's clock in milliseconds: if Redis loses the counter (a restart without
// persistence), new tokens still exceed every token issued before, which the guarded writes
// in Postgres remember, so fencing does not lock every future holder out.
const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local token = redis.call('INCR', KEYS[2])
if token < tonumber(ARGV[2]) then
  token = tonumber(ARGV[2])
  redis.call('SET', KEYS[2], token)
end
redis.call('SET', KEYS[1], token, 'PX', ARGV[1])
return token`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * A Redis lock that is a lease, with a fencing token. A holder that pauses can outlive its lease
 * while another takes the lock, so the lock alone never protects a write: the write must carry
 * the token and the store must refuse a token lower than one it has seen.
 */
export class FencedLock {
  constructor(
    private readonly redis: Redis,
    private readonly clock: () => number = Date.now,
  ) {}

  private keys(name: string): [string, string] {
    // One hash tag, so both keys live on the same node of a Redis cluster.
    return [`eos:lock:{${name}}`, `eos:lock:{${name}}:fence`];
  }

  /** The lease, or null while someone else holds it. Throws when Redis does not answer. */
  async acquire(name: string, ttlMs: number): Promise<FencedLease | null> {
    const [lockKey, fenceKey] = this.keys(name);
    const token = (await this.redis.eval(
      ACQUIRE,
      2,
      lockKey,
      fenceKey,
      String(ttlMs),
      String(this.clock()),
    )) as number | null;
    if (token === null) return null;
    return {
      name,
      token,
      release: async () => {
        await this.redis.eval(RELEASE, 1, lockKey, String(token));
      },
    };
  }
}
