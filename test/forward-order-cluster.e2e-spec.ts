import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, mintToken } from '@eos/common';
import { checkoutBody, freePort, newIdempotencyKey, newUserId, sourceRunArgs } from '@eos/testing';

const REPO_ROOT = resolve(__dirname, '..');
const MAIN = join(REPO_ROOT, 'apps/forward-order/src/main.ts');
const CHECKOUTS = 24;

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

describe('forward-order with FORWARD_ORDER_PROCESSES=2 (node:cluster, child process, real services)', () => {
  const config = loadConfig();
  let scratch: string;
  let app: ChildProcess | undefined;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'eos-cluster-'));
  });

  afterAll(() => {
    if (app && app.exitCode === null && app.signalCode === null) app.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  });

  it('runs two workers on one port that take checkouts, and stops both gracefully on SIGTERM', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const output: string[] = [];
    // The workers inherit the primary's -r hooks through process.execArgv.
    const child = spawn(process.execPath, sourceRunArgs(scratch, MAIN), {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        FORWARD_PORT: String(port),
        HOST: '127.0.0.1',
        SWEEP_INTERVAL_MS: '0',
        FORWARD_ORDER_PROCESSES: '2',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app = child;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.once('exit', (code, signal) => done({ code, signal })),
    );
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const leasedWorkers = (): string[] => [
      ...new Set([...output.join('').matchAll(/leased worker number (\d+)/g)].map((match) => match[1])),
    ];

    // Ready when both workers have leased their order-id worker number and one answers.
    for (let tries = 0; ; tries += 1) {
      if (tries > 240) throw new Error(`not ready:\n${output.join('').slice(-3000)}`);
      if (child.exitCode !== null) throw new Error(`exited early:\n${output.join('').slice(-3000)}`);
      const ready = await fetch(`${url}/health/ready`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ready && leasedWorkers().length === 2) break;
      await sleep(250);
    }

    const statuses = await Promise.all(
      Array.from({ length: CHECKOUTS }, async () => {
        const userId = newUserId();
        const response = await fetch(`${url}/v1/orders`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${mintToken(config.JWT_SECRET, 'customer', userId)}`,
            'content-type': 'application/json',
            'idempotency-key': newIdempotencyKey(),
            connection: 'close',
          },
          body: JSON.stringify(checkoutBody()),
        });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    expect(statuses).toEqual(Array.from({ length: CHECKOUTS }, () => 201));

    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    const text = output.join('');
    expect(text).toContain('starting 2 workers');
    expect(text.match(/stopped in \d+ ms/g)).toHaveLength(2);
  });
});
