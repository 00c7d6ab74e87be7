import { Client } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { BlinkClient, EosConfig, isServiceError } from '@eos/common';
import { shardMapFrom } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import { LatencyRecorder, type LatencySummary } from '../load/latency-stats';

const DEADLINE_EXCEEDED = 4;

export interface DeadlineProbeResult {
  readonly deadlineMs: number;
  /** Time from the call to its answer, for the calls that answered DEADLINE_EXCEEDED. */
  readonly answered: LatencySummary;
  readonly calls: number;
  /** Answers by gRPC status code; every call should be DEADLINE_EXCEEDED. */
  readonly codes: Record<string, number>;
  /** Statements still waiting on the locked row once the call had answered (must be 0). */
  readonly leftWaiting: number;
}

/**
 * Slows Postgres exactly where a call goes (another session holds the order's row lock), then
 * calls MarkReady with a short deadline and times the answer: the issue asks for DEADLINE_EXCEEDED
 * within 250 ms of a 200 ms deadline, and for the write in Postgres to be cancelled, not left
 * waiting. A benchmark rather than a test, since its figure is a wall-clock time.
 */
export async function probeDeadlines(
  config: EosConfig,
  client: BlinkClient,
  orders: readonly { id: string; merchantId: string }[],
  deadlineMs: number,
): Promise<DeadlineProbeResult> {
  const router = new ShardRouter(shardMapFrom(config));
  const answered = new LatencyRecorder();
  const codes = new Map<string, number>();
  let leftWaiting = 0;
  for (const order of orders) {
    const route = router.routeOrder(order.id);
    const locker = new Client({ connectionString: router.databaseUrl(route.database) });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(`SELECT id FROM ${route.schema}.orders WHERE id = $1 FOR UPDATE`, [order.id]);
      const started = performance.now();
      let code = 0;
      try {
        await client.unary(
          'MerchantOrders',
          'MarkReady',
          { orderId: order.id, merchantId: order.merchantId },
          { deadlineMs },
        );
      } catch (error) {
        code = isServiceError(error) ? error.code : -1;
      }
      const elapsed = performance.now() - started;
      codes.set(String(code), (codes.get(String(code)) ?? 0) + 1);
      if (code === DEADLINE_EXCEEDED) answered.record(elapsed);
      // Give the server's statement timeout its moment, then count who still waits on the lock.
      await sleep(50);
      const { rows } = await locker.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))`,
      );
      leftWaiting += rows[0].n;
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
  }
  return {
    deadlineMs,
    answered: answered.summary(),
    calls: orders.length,
    codes: Object.fromEntries(codes),
    leftWaiting,
  };
}
