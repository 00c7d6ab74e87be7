import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, mintToken } from '@eos/common';
import { ShardDataSources, shardMapFrom } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import { checkoutBody, freePort, newIdempotencyKey, newUserId, sourceRunArgs } from '@eos/testing';

const REPO_ROOT = resolve(__dirname, '../../..');
const MAIN = join(REPO_ROOT, 'apps/forward-order/src/main.ts');
/** Checkouts per second, each on a connection of its own (no keep-alive to hide behind). */
const RATE = 50;
/** Checkouts sent before the SIGTERM, so the stop lands in the middle of a steady load. */
const BEFORE_STOP = 120;
/** Sent at once just before the SIGTERM: requests certainly in flight when the stop begins. */
const BURST = 20;
// Printed by the shutdown once the listener is closed and the requests in flight have answered.
const LISTENER_CLOSED = 'requests finished';
/** How a request the app did not take may end: never a cut-off answer or a 5xx of its own. */
const CLEAN_REFUSALS: readonly (number | string)[] = ['ECONNREFUSED', 'ECONNRESET', 503];

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

interface Checkout {
  readonly userId: string;
  readonly key: string;
  readonly startedAt: number;
  finishedAt: number;
  /** HTTP status, or the socket error's code when no answer came. */
  outcome: number | string;
  orderId?: string;
}

/** One checkout on a fresh connection; never throws. */
function checkout(url: string, jwtSecret: string): { record: Checkout; done: Promise<void> } {
  const record: Checkout = {
    userId: newUserId(),
    key: newIdempotencyKey(),
    startedAt: Date.now(),
    finishedAt: 0,
    outcome: 'PENDING',
  };
  const body = JSON.stringify(checkoutBody());
  const done = new Promise<void>((resolveDone) => {
    const finish = (): void => {
      record.finishedAt = Date.now();
      resolveDone();
    };
    const req = request(
      `${url}/v1/orders`,
      {
        method: 'POST',
        agent: false,
        headers: {
          authorization: `Bearer ${mintToken(jwtSecret, 'customer', record.userId)}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'idempotency-key': record.key,
          connection: 'close',
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          record.outcome = response.statusCode ?? 0;
          try {
            record.orderId = (JSON.parse(Buffer.concat(chunks).toString()) as { id?: string }).id;
          } catch {
            // Not JSON: the outcome says enough.
          }
          finish();
        });
        // A body cut off after the head: exactly the half answer this test must never see.
        response.on('aborted', () => {
          record.outcome = 'ABORTED_ANSWER';
          finish();
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (record.outcome === 'PENDING') record.outcome = error.code ?? error.message;
      finish();
    });
    req.end(body);
  });
  return { record, done };
}

interface Committed {
  readonly orderId: string;
  readonly hasOrder: boolean;
  readonly lines: number;
  readonly outboxRows: number;
}

describe('forward-order on SIGTERM under a steady checkout load (child process, real services)', () => {
  const config = loadConfig();
  const router = new ShardRouter(shardMapFrom(config));
  const sources = new ShardDataSources(shardMapFrom(config), {
    poolSize: 2,
    statementTimeoutMs: 10_000,
    connectTimeoutMs: 5000,
    applicationName: 'eos-test-shutdown',
  });
  const scratch = mkdtempSync(join(tmpdir(), 'eos-shutdown-'));
  let app: ChildProcess | undefined;

  beforeAll(async () => {
    await sources.initialize();
  });

  afterAll(async () => {
    // Whatever failed: no app left running on its port.
    if (app && app.exitCode === null && app.signalCode === null) app.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
    await sources.destroy();
  });

  async function committed(record: Checkout): Promise<Committed | undefined> {
    const route = router.routeUser(record.userId);
    const rows: { order_id: string; has_order: boolean; lines: number; outbox_rows: number }[] = await sources
      .get(route.database)
      .query(
        `SELECT k.order_id::text AS order_id,
                EXISTS (SELECT 1 FROM ${route.schema}.orders o WHERE o.id = k.order_id) AS has_order,
                (SELECT count(*)::int FROM ${route.schema}.order_items i WHERE i.order_id = k.order_id) AS lines,
                (SELECT count(*)::int FROM ${route.schema}.outbox b WHERE b.order_id = k.order_id) AS outbox_rows
           FROM ${route.schema}.idempotency_keys k WHERE k.user_id = $1 AND k.key = $2`,
        [record.userId, record.key],
      );
    const row = rows[0];
    return (
      row && { orderId: row.order_id, hasOrder: row.has_order, lines: row.lines, outboxRows: row.outbox_rows }
    );
  }

  it('finishes what it accepted, then refuses connections and exits 0; nothing is half-written', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const output: string[] = [];
    let listenerClosedAt: number | undefined;
    const child = spawn(process.execPath, sourceRunArgs(scratch, MAIN), {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        FORWARD_PORT: String(port),
        HOST: '127.0.0.1',
        SWEEP_INTERVAL_MS: '0',
        // The drain is observed through the app's own info lines.
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app = child;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.once('exit', (code, signal) => done({ code, signal })),
    );
    const keep = (chunk: Buffer): void => {
      const text = chunk.toString();
      output.push(text);
      if (listenerClosedAt === undefined && text.includes(LISTENER_CLOSED)) listenerClosedAt = Date.now();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);

    for (;;) {
      if (child.exitCode !== null) throw new Error(`forward-order exited early:\n${output.join('')}`);
      const ready = await fetch(`${url}/health/ready`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ready) break;
      await sleep(200);
    }

    const records: Checkout[] = [];
    const pending: Promise<void>[] = [];
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    void exited.then((result) => {
      exit = result;
    });
    let sigtermAt: number | undefined;
    let exitedAt: number | undefined;
    // The load goes on through the stop and a little past the exit: requests keep coming, as they
    // would from a load balancer that has not noticed yet.
    for (let sent = 0; exitedAt === undefined || Date.now() < exitedAt + 300; sent += 1) {
      for (let n = sent === BEFORE_STOP ? BURST : 1; n > 0; n -= 1) {
        const { record, done } = checkout(url, config.JWT_SECRET);
        records.push(record);
        pending.push(done);
      }
      if (sent === BEFORE_STOP) {
        await sleep(5);
        sigtermAt = Date.now();
        child.kill('SIGTERM');
      }
      if (exit !== undefined && exitedAt === undefined) exitedAt = Date.now();
      await sleep(1000 / RATE);
    }
    await Promise.all(pending);

    // Exit 0 also says the shutdown finished within SHUTDOWN_DEADLINE_MS (past it the app exits 1).
    expect(exit).toEqual({ code: 0, signal: null });
    expect(sigtermAt).toBeDefined();
    expect(listenerClosedAt).toBeDefined();

    const created = records.filter((record) => record.outcome === 201);
    expect(created.length).toBeGreaterThan(BEFORE_STOP / 2);
    // Requests in flight at the SIGTERM were finished, not dropped: some were answered after it.
    expect(created.filter((record) => record.finishedAt > (sigtermAt ?? Infinity)).length).toBeGreaterThan(0);
    for (const record of records) {
      const found = await committed(record);
      if (record.outcome === 201) {
        // Accepted: the order, its lines and its outbox row, under the idempotency key it answered.
        expect({ key: record.key, found }).toEqual({
          key: record.key,
          found: { orderId: record.orderId, hasOrder: true, lines: expect.any(Number), outboxRows: 1 },
        });
        expect(found?.lines).toBeGreaterThan(0);
      } else {
        // Not accepted: a clean refusal, before any work (a connection refused or reset before an
        // answer, or Fastify's 503 while closing), and nothing written under its key.
        expect({ key: record.key, refused: CLEAN_REFUSALS.includes(record.outcome), found }).toEqual({
          key: record.key,
          refused: true,
          found: undefined,
        });
      }
    }

    // Once the listener closed, every new connection is refused.
    const afterClose = records.filter((record) => record.startedAt > (listenerClosedAt ?? Infinity));
    expect(afterClose.length).toBeGreaterThan(0);
    expect(new Set(afterClose.map((record) => record.outcome))).toEqual(new Set(['ECONNREFUSED']));
  });
});
