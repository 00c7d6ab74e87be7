import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { startCpuProfileIfRequested } from '../metrics/cpu-profiler';
import { startDefaultMetrics } from '../metrics/default-metrics';
import { HttpErrorFilter } from './http-exception.filter';
import { strictValidationPipe } from './validation.pipe';

/**
 * An HTTP app on Fastify with the contract's validation and error shape, shutdown hooks on, and
 * process metrics. Shared by every app so they answer errors alike.
 */
export async function createHttpApp(module: Type<unknown>, name: string): Promise<NestFastifyApplication> {
  startDefaultMetrics(name);
  const stopProfile = startCpuProfileIfRequested();
  const adapter = new FastifyAdapter({ bodyLimit: 64 * 1024, trustProxy: true });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: ['error', 'warn', 'log'],
    bufferLogs: false,
    // Signed webhooks (payment callbacks) are verified over the exact bytes received.
    rawBody: true,
  });
  app.useGlobalPipes(strictValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  if (stopProfile) {
    process.once('SIGTERM', stopProfile);
    process.once('SIGINT', stopProfile);
  }
  return app;
}

export async function listen(app: INestApplication, port: number, host: string): Promise<void> {
  await app.listen(port, host);
}
