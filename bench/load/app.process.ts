import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface AppStartOptions {
  readonly repoRoot: string;
  /** Path of the compiled entry point under the repository root, e.g. dist/apps/osc-blink/src/main.js. */
  readonly entry: string;
  readonly name: string;
  readonly env: Readonly<Record<string, string>>;
  /** The app's HTTP base URL, polled at /health/ready until it answers 200. */
  readonly healthUrl: string;
  readonly logFile: string;
  readonly readyTimeoutMs?: number;
  /** What answers 200 once the app is ready; `/health/ready` by default. */
  readonly readyPath?: string;
}

const TAIL_LINES = 40;

/** A compiled app as a child process, as `npm start` runs it; its output goes to a log file. */
export class AppProcess {
  private readonly tail: string[] = [];
  private readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    private readonly log: WriteStream,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
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

  static async start(options: AppStartOptions): Promise<AppProcess> {
    const child = spawn(process.execPath, [join(options.repoRoot, options.entry)], {
      cwd: options.repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new AppProcess(options.name, child, createWriteStream(options.logFile));
    const killOnExit = (): void => {
      if (app.running) child.kill('SIGKILL');
    };
    process.once('exit', killOnExit);
    child.once('exit', () => process.removeListener('exit', killOnExit));
    try {
      await app.waitUntilReady(
        `${options.healthUrl}${options.readyPath ?? '/health/ready'}`,
        options.readyTimeoutMs ?? 30_000,
      );
    } catch (error) {
      await app.stop();
      throw error;
    }
    return app;
  }

  private get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The process id, for /proc figures (undefined if it never started). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The last lines the app printed, for error messages. */
  recentOutput(): string {
    return this.tail.join('\n');
  }

  private async waitUntilReady(readyUrl: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastProblem = 'no answer yet';
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited before it was ready:\n${this.tail.join('\n')}`);
      try {
        const response = await fetch(readyUrl, { signal: AbortSignal.timeout(2_000) });
        if (response.status === 200) return;
        lastProblem = `readiness answered ${response.status}: ${(await response.text()).slice(0, 300)}`;
      } catch (error) {
        lastProblem = error instanceof Error ? error.message : String(error);
      }
      await sleep(250);
    }
    throw new Error(
      `${this.name} not ready within ${timeoutMs} ms (${lastProblem}):\n${this.tail.join('\n')}`,
    );
  }

  async stop(): Promise<void> {
    if (this.running) {
      this.child.kill('SIGTERM');
      const stopped = await Promise.race([this.exited.then(() => true), sleep(30_000, false)]);
      if (!stopped && this.running) {
        this.child.kill('SIGKILL');
        await this.exited;
      }
    }
    await new Promise<void>((resolve) => this.log.end(resolve));
  }
}

export function freePort(): Promise<number> {
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
