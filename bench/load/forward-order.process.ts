import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processCpuSeconds } from './cpu-usage';

export interface ForwardOrderStartOptions {
  /** The repository root, holding dist/apps/forward-order/src/main.js. */
  readonly repoRoot: string;
  /** Where the app's stdout and stderr go, so errors under load can be read afterwards. */
  readonly logFile: string;
  readonly readyTimeoutMs?: number;
  /** More environment for the app (EOS_SHARD_MAP, FORWARD_ORDER_PROCESSES), over the benchmark's own. */
  readonly env?: Readonly<Record<string, string>>;
}

const READY_POLL_MS = 250;
// Past the apps' own 25 s shutdown deadline, so a graceful stop is never cut short.
const STOP_GRACE_MS = 30_000;
const TAIL_LINES = 40;

/**
 * The compiled forward-order app as a child process on a free port, exactly as `npm start` runs
 * it, so the benchmark measures the real HTTP stack and not an in-process shortcut.
 */
export class ForwardOrderProcess {
  private readonly tail: string[] = [];
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly log: WriteStream,
    readonly url: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    // A log that cannot be written must not crash the benchmark; the tail is still kept.
    log.on('error', () => undefined);
    const keep = (chunk: Buffer): void => {
      this.log.write(chunk);
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        this.tail.push(line);
        if (this.tail.length > TAIL_LINES) this.tail.shift();
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  static async start(options: ForwardOrderStartOptions): Promise<ForwardOrderProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [join(options.repoRoot, 'dist/apps/forward-order/src/main.js')], {
      cwd: options.repoRoot,
      // The measured app serves checkout only: its deadline sweeps would otherwise spend the run
      // expiring the unpaid orders earlier runs left behind.
      env: { ...process.env, FORWARD_PORT: String(port), SWEEP_INTERVAL_MS: '0', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new ForwardOrderProcess(
      child,
      createWriteStream(options.logFile),
      `http://127.0.0.1:${port}`,
    );
    // If the benchmark dies (an exception, a closed pipe), the app must not outlive it on its port.
    const killOnExit = (): void => {
      if (app.running) child.kill('SIGKILL');
    };
    process.once('exit', killOnExit);
    child.once('exit', () => process.removeListener('exit', killOnExit));
    try {
      await app.waitUntilReady(options.readyTimeoutMs ?? 30_000);
    } catch (error) {
      await app.stop();
      throw error;
    }
    return app;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** CPU seconds the app has used so far (undefined where /proc is not available). */
  cpuSeconds(): number | undefined {
    return this.child.pid === undefined ? undefined : processCpuSeconds(this.child.pid);
  }

  /** The last lines the app printed, for error messages. */
  recentOutput(): string {
    return this.tail.join('\n');
  }

  private get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastProblem = 'no answer yet';
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new Error(
          `forward-order exited (code ${String(this.child.exitCode)}) before it was ready:\n${this.recentOutput()}`,
        );
      }
      try {
        const response = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
        if (response.status === 200) return;
        lastProblem = `GET /health/ready answered ${response.status}: ${(await response.text()).slice(0, 300)}`;
      } catch (error) {
        lastProblem = error instanceof Error ? error.message : String(error);
      }
      await sleep(READY_POLL_MS);
    }
    throw new Error(
      `forward-order not ready within ${timeoutMs} ms (${lastProblem}):\n${this.recentOutput()}`,
    );
  }

  /** SIGTERM for a graceful shutdown (the app releases its worker lease), SIGKILL if it hangs. */
  async stop(): Promise<void> {
    if (this.running) {
      this.child.kill('SIGTERM');
      const stopped = await Promise.race([this.exited.then(() => true), sleep(STOP_GRACE_MS, false)]);
      if (!stopped && this.running) {
        this.child.kill('SIGKILL');
        await this.exited;
      }
    }
    await new Promise<void>((resolve) => this.log.end(resolve));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port found'))));
    });
  });
}
