import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Longest a graceful shutdown may take before the process gives up and exits 1: more than a
 * request, a relay batch or a consumer's message needs (each bounded by the statement and
 * publish-confirm timeouts), less than the 30 s an orchestrator usually waits before SIGKILL.
 */
export const SHUTDOWN_DEADLINE_MS = 25_000;

const SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * On SIGTERM or SIGINT, shuts the app down in the order that loses nothing, then exits 0:
 *
 * 1. Stop accepting: the listening socket closes (new connections are refused), idle keep-alive
 *    connections are closed, and every request in flight runs to its answer. Each answer given from
 *    now on says `Connection: close`, so a keep-alive client does not send another request on a
 *    connection that is about to go (without it the server would wait out the idle keep-alive
 *    sockets, 72 s). A request that does arrive on one gets a plain 503 from Fastify before any
 *    handler runs.
 * 2. Only then the application: consumers are cancelled and their messages in hand finished, the
 *    outbox relay finishes its batch (which includes the events of the last requests), and the
 *    pools, the worker lease and the Redis and RabbitMQ connections close.
 *
 * Nest's own shutdown hooks would do step 2 while still accepting requests, and end the process
 * by re-raising the signal (no exit code 0). Past SHUTDOWN_DEADLINE_MS the process exits 1.
 */
export function closeGracefullyOnSignals(app: NestFastifyApplication, name: string): void {
  const logger = new Logger(`${name}:shutdown`);
  const fastify = app.getHttpAdapter().getInstance();
  let draining = false;

  fastify.addHook('onSend', async (_request, reply, payload) => {
    if (draining) void reply.header('connection', 'close');
    return payload;
  });

  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    const startedAt = Date.now();
    logger.log(`${signal}: no new requests; finishing those in flight`);
    setTimeout(() => {
      logger.error(`shutdown still not finished after ${SHUTDOWN_DEADLINE_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    try {
      await app.getHttpAdapter().close();
      logger.log('requests finished; stopping consumers, relay and connections');
      await app.close();
      logger.log(`stopped in ${Date.now() - startedAt} ms`);
      process.exit(0);
    } catch (error) {
      logger.error(
        `shutdown failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      process.exit(1);
    }
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (draining) return;
    draining = true;
    void shutdown(signal);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  // Closed some other way (a test's app.close()): leave no listener behind in the process.
  fastify.addHook('onClose', async () => {
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  });
}
