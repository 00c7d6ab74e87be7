import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { consoleBuilt, consoleRoot } from './console-root';
import { CONSOLE_PREFIX, consoleStaticPlugin } from './console-static.plugin';

/**
 * Puts the console's static files on reverse-order's own Fastify instance while the app starts
 * (before it listens), so that the shared createHttpApp and the other apps stay as they are.
 */
@Injectable()
export class ConsoleStaticRegistrar implements OnModuleInit {
  private readonly logger = new Logger('Console');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  async onModuleInit(): Promise<void> {
    const root = consoleRoot();
    if (!consoleBuilt(root)) {
      this.logger.warn(
        `${root} has no console yet: ${CONSOLE_PREFIX} answers 404 until \`npm run build:console\``,
      );
    }
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    await fastify.register(consoleStaticPlugin, { root });
  }
}
