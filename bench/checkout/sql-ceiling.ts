import { performance } from 'node:perf_hooks';
import { checkoutQuery, pgPoolExtra } from '@eos/persistence';
import type { ShardRouter } from '@eos/sharding';
import { DatabaseError, Pool, type PoolConfig } from 'pg';
import type { CheckoutRequests } from './checkout-request';
import type { CheckoutWriteFactory } from './checkout-write.factory';
import { busyShare, machineCpu, ownCpuSeconds } from '../load/cpu-usage';
import { LatencyRecorder } from '../load/latency-stats';
import { ErrorTally, errorKind, type PhaseMeasurement } from '../load/phase-measurement';

export interface SqlCeilingPoolOptions {
  /** Connections per physical database: the app's PG_POOL_SIZE, so both sides get as many. */
  readonly poolSize: number;
  readonly statementTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

export interface SqlCeilingRunOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly checkouts: CheckoutRequests;
}

/** What one ceiling checkout came to. */
export type CeilingCheckout =
  | { readonly ok: true; readonly statementMs: number }
  | { readonly ok: false; readonly kind: string; readonly message?: string };

/**
 * The ceiling: the app's checkout statement sent straight from pg, with no HTTP, validation,
 * auth, Redis or Nest in between. One pool per physical database, sized and configured like the
 * app's (pgPoolExtra is what the app's data sources use), and `connections` closed loops, each
 * sending its next statement as soon as the previous one answers, like autocannon's connections.
 */
export class SqlCeiling {
  private constructor(
    private readonly pools: ReadonlyMap<string, Pool>,
    private readonly router: ShardRouter,
    private readonly writes: CheckoutWriteFactory,
  ) {}

  static open(router: ShardRouter, writes: CheckoutWriteFactory, options: SqlCeilingPoolOptions): SqlCeiling {
    const pools = new Map<string, Pool>();
    for (const database of router.databases()) {
      // pgPoolExtra returns pg pool options typed as a plain record (TypeORM's `extra`); they are
      // pg's own option names, so reading them as a PoolConfig is sound.
      const config: PoolConfig = {
        connectionString: router.databaseUrl(database),
        ...(pgPoolExtra({
          poolSize: options.poolSize,
          statementTimeoutMs: options.statementTimeoutMs,
          connectTimeoutMs: options.connectTimeoutMs,
          applicationName: `eos-bench-ceiling:${database}`,
        }) as PoolConfig),
      };
      const pool = new Pool(config);
      // An idle client's connection dropping must not crash the benchmark; the next query reports it.
      pool.on('error', () => undefined);
      pools.set(database, pool);
    }
    return new SqlCeiling(pools, router, writes);
  }

  async run(options: SqlCeilingRunOptions): Promise<PhaseMeasurement> {
    const latency = new LatencyRecorder();
    const errors = new ErrorTally();
    let orders = 0;
    const cpuBefore = machineCpu();
    const clientCpuBefore = ownCpuSeconds();
    const startedAt = performance.now();
    const deadline = startedAt + options.durationSeconds * 1000;

    const loop = async (): Promise<void> => {
      while (performance.now() < deadline) {
        const outcome = await this.checkoutOnce(options.checkouts);
        if (outcome.ok) {
          orders += 1;
          latency.record(outcome.statementMs);
        } else {
          errors.add(outcome.kind, outcome.message);
        }
      }
    };
    await Promise.all(Array.from({ length: options.connections }, loop));

    const seconds = (performance.now() - startedAt) / 1000;
    return {
      orders,
      seconds,
      ordersPerSecond: orders / seconds,
      latency: latency.summary(),
      errors: errors.count,
      errorsByKind: errors.byKind(),
      errorSamples: errors.sampleBodies(),
      machineBusy: busyShare(cpuBefore, machineCpu()),
      clientCores: (ownCpuSeconds() - clientCpuBefore) / seconds,
    };
  }

  /**
   * One checkout: builds the write (pricing, id, event: client work, outside `statementMs`), then
   * sends the app's own query config (same text, same prepared-statement name) to the user's
   * database. Never throws: a failure is an outcome, as an HTTP error is for the app.
   */
  async checkoutOnce(checkouts: CheckoutRequests): Promise<CeilingCheckout> {
    const write = this.writes.build(checkouts.next());
    const route = this.router.routeUser(write.order.userId);
    const pool = this.pools.get(route.database);
    if (!pool) return { ok: false, kind: 'no pool', message: `no pool for database ${route.database}` };
    const sentAt = performance.now();
    try {
      const result = await pool.query<{ order_id: string }>(checkoutQuery(route.schema, write));
      // The statement writes nothing when the idempotency key exists: keys are unique, so this
      // would be a benchmark bug, not a ceiling.
      if (result.rows.length !== 1) return { ok: false, kind: 'no order row (idempotency key existed)' };
      return { ok: true, statementMs: performance.now() - sentAt };
    } catch (error) {
      const kind = error instanceof DatabaseError ? `pg ${String(error.code)}` : errorKind(error);
      return { ok: false, kind, message: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.end()));
  }
}
