import type { IncomingMessage } from 'node:http';
import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { loadConfig } from '../config/eos.config';
import { createAppLogger } from '../logging/app-logger';
import { PinoNestLogger } from '../logging/nest-pino.logger';
import { REQUEST_ID_HEADER, requestIdOf } from '../logging/request-id';
import { startCpuProfileIfRequested } from '../metrics/cpu-profiler';
import { startDefaultMetrics } from '../metrics/default-metrics';
import { flushTracing, startTracing, tracingConfigured } from '../tracing/tracing';
import { closeGracefullyOnSignals } from './graceful-shutdown';
import { HttpErrorFilter } from './http-exception.filter';
import { observeRequests } from './request-observability.hooks';
import { strictValidationPipe } from './validation.pipe';

export interface HttpAppOptions {
  /** Where the app's JSON log lines go instead of stdout (tests read them back). */
  readonly logDestination?: DestinationStream;
}

/**
 * An HTTP app on Fastify with the contract's validation and error shape, a graceful shutdown on
 * SIGTERM and SIGINT (see graceful-shutdown.ts), process and request metrics, JSON logs with
 * each request's id, and traces when configured (see request-observability.hooks.ts). Shared by
 * every app so they answer errors alike and stop alike.
 */
export async function createHttpApp(
  module: Type<unknown>,
  name: string,
  options: HttpAppOptions = {},
): Promise<NestFastifyApplication> {
  const config = loadConfig();
  startDefaultMetrics(name);
  if (tracingConfigured(config)) startTracing({ serviceName: name });
  const logger = createAppLogger({ app: name, level: config.LOG_LEVEL, destination: options.logDestination });
  const stopProfile = startCpuProfileIfRequested();
  const adapter = new FastifyAdapter({
    bodyLimit: 64 * 1024,
    trustProxy: true,
    genReqId: (request: IncomingMessage) => requestIdOf(request.headers[REQUEST_ID_HEADER]),
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    // Nest's own lines (startup, routes, errors) and every Logger in eos: JSON through pino.
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
    // Signed webhooks (payment callbacks) are verified over the exact bytes received.
    rawBody: true,
  });
  app.useGlobalPipes(strictValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
  const fastify = app.getHttpAdapter().getInstance();
  observeRequests(fastify, logger, { requestScope: config.LOG_REQUEST_SCOPE });
  fastify.addHook('onClose', async () => flushTracing());
  closeGracefullyOnSignals(app, name);
  if (stopProfile) {
    process.once('SIGTERM', stopProfile);
    process.once('SIGINT', stopProfile);
  }
  return app;
}

export async function listen(app: INestApplication, port: number, host: string): Promise<void> {
  await app.listen(port, host);
}
