import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Answers true once a PING on `port` gets +PONG. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/**
 * A redis-server of the suite's own on a free port, without persistence, like the one the
 * platform runs against by default: a stop and start comes back EMPTY (worker leases, idempotency
 * copies, cached menus all gone), the harder case. The worker lease takes its key back when nobody
 * held the number since, so ids keep flowing.
 */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  private readonly log: WriteStream;

  constructor(
    private readonly dir: string,
    readonly port: number,
  ) {
    this.log = createWriteStream(join(dir, 'redis.log'), { flags: 'a' });
    this.log.on('error', () => undefined);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir],
        ...['--save', '', '--appendonly', 'no'],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.child = child;
    const deadline = Date.now() + 20_000;
    while (!(await pong(this.port))) {
      if (child.exitCode !== null)
        throw new Error(`redis-server exited with ${child.exitCode}; see ${this.dir}/redis.log`);
      if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not answer PING`);
      await sleep(100);
    }
  }

  /** SIGTERM, then waits for the exit: the server is gone until start(). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), sleep(10_000, false)]);
    if (!stopped) {
      child.kill('SIGKILL');
      await exited;
    }
  }

  stopSync(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }

  async close(): Promise<void> {
    await this.stop();
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }
}
