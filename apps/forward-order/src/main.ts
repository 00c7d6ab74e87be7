import 'reflect-metadata';
import cluster from 'node:cluster';
import { createAppLogger, createHttpApp, exitOnStartupFailure, loadConfig } from '@eos/common';

const APP = 'forward-order';
const SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  // Loaded here, not at the top: a cluster primary only forks and never needs the app's modules.
  const { ForwardOrderModule } = await import('./forward-order.module');
  const app = await createHttpApp(ForwardOrderModule, APP);
  await app.listen(config.FORWARD_PORT, config.HOST);
}

/**
 * FORWARD_ORDER_PROCESSES > 1: this process forks that many workers, each of which bootstraps the
 * whole app on the shared port (node:cluster hands them the connections). It passes SIGTERM and
 * SIGINT on, so every worker shuts down gracefully on its own (see graceful-shutdown.ts), and exits
 * once the last worker has: 0 when all stopped cleanly, else 1. A worker that dies by itself is not
 * replaced: the others are stopped and the primary exits 1, so whatever supervises the app restarts
 * it whole rather than running on with fewer workers than configured.
 */
function superviseWorkers(processes: number): void {
  const logger = createAppLogger({ app: APP, level: loadConfig().LOG_LEVEL });
  let alive = processes;
  let stopping = false;
  let failed = false;
  const signalWorkers = (signal: NodeJS.Signals): void => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info(`${signal}: stopping ${alive} worker(s)`);
      signalWorkers(signal);
    });
  }
  cluster.on('exit', (worker, code, signal) => {
    alive -= 1;
    if (!stopping) {
      stopping = true;
      failed = true;
      logger.error(
        `worker ${String(worker.process.pid)} exited by itself (code ${String(code)}, signal ${String(signal)}); stopping the others`,
      );
      signalWorkers('SIGTERM');
    } else if (code !== 0) {
      failed = true;
    }
    if (alive === 0) process.exit(failed ? 1 : 0);
  });
  logger.info(`starting ${processes} workers on port ${loadConfig().FORWARD_PORT}`);
  for (let i = 0; i < processes; i += 1) cluster.fork();
}

function main(): void {
  const processes = loadConfig().FORWARD_ORDER_PROCESSES;
  if (processes > 1 && cluster.isPrimary) superviseWorkers(processes);
  else void bootstrap().catch((error: unknown) => exitOnStartupFailure(APP, error));
}

try {
  main();
} catch (error) {
  exitOnStartupFailure(APP, error);
}
