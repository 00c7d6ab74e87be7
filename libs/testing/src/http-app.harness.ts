import { Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@eos/common';

export interface RunningApp {
  readonly app: NestFastifyApplication;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts an app module on a real ephemeral port against the real services, as `npm start` would,
 * except for background jobs that change data other tests share: forward-order's deadline sweeps
 * and reverse-order's escalation and refund passes stay off unless the test sets SWEEP_INTERVAL_MS or
 * REVERSE_WORK_INTERVAL_MS itself; tests run the passes they need.
 */
export async function startHttpApp(module: Type<unknown>, name: string): Promise<RunningApp> {
  process.env.SWEEP_INTERVAL_MS ??= '0';
  // reverse-order's background work (escalation, refund execution) likewise: tests run passes on demand.
  process.env.REVERSE_WORK_INTERVAL_MS ??= '0';
  // Quiet apps, as before JSON logging: start-up and request lines would bury the test output. A
  // test about logs sets LOG_LEVEL itself.
  process.env.LOG_LEVEL ??= 'warn';
  const app = await createHttpApp(module, name);
  app.useLogger(['error', 'warn']);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return { app, url: url.replace('[::1]', '127.0.0.1'), close: () => app.close() };
}
