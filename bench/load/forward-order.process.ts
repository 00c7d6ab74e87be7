import { AppProcess, freePort } from './app.process';
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

/**
 * The compiled forward-order app as a child process on a free port, exactly as `npm start` runs
 * it, so the benchmark measures the real HTTP stack and not an in-process shortcut.
 */
export class ForwardOrderProcess {
  private constructor(
    private readonly app: AppProcess,
    readonly url: string,
  ) {}

  static async start(options: ForwardOrderStartOptions): Promise<ForwardOrderProcess> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const app = await AppProcess.start({
      repoRoot: options.repoRoot,
      entry: 'dist/apps/forward-order/src/main.js',
      name: 'forward-order',
      // The measured app serves checkout only: its deadline sweeps would otherwise spend the run
      // expiring the unpaid orders earlier runs left behind.
      env: { FORWARD_PORT: String(port), SWEEP_INTERVAL_MS: '0', ...options.env },
      healthUrl: url,
      logFile: options.logFile,
      readyTimeoutMs: options.readyTimeoutMs,
    });
    return new ForwardOrderProcess(app, url);
  }

  get pid(): number | undefined {
    return this.app.pid;
  }

  /** CPU seconds the app has used so far (undefined where /proc is not available). */
  cpuSeconds(): number | undefined {
    return this.pid === undefined ? undefined : processCpuSeconds(this.pid);
  }

  /** The last lines the app printed, for error messages. */
  recentOutput(): string {
    return this.app.recentOutput();
  }

  /** SIGTERM for a graceful shutdown (the app releases its worker lease), SIGKILL after 30 s. */
  stop(): Promise<void> {
    return this.app.stop();
  }
}
