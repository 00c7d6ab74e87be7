import { errorBody } from '@eos/common';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { consoleFileHeaders } from './console-headers';
import { readConsoleFile } from './console-files';
import { consoleBuilt } from './console-root';

/** Where the console is served; `/console` redirects to `/console/`, its page. */
export const CONSOLE_PREFIX = '/console';

export interface ConsoleStaticOptions {
  /** The built console's folder (dist/console). */
  readonly root: string;
}

const NOT_BUILT = errorBody(
  404,
  'the customer-service console is not built: run `npm run build:console` (or `npm run build`)',
  'CONSOLE_NOT_BUILT',
);

/**
 * Serves the built console under /console with its security headers, on the app's own Fastify
 * instance in a scope of its own (its hook sees only its routes). Whether the console was built is
 * asked on each request until it is, so a build made while the app runs is served without a
 * restart; until then every route here answers a 404 body that says what to do.
 *
 * Not @fastify/static: it needs an ES-module-only dependency (content-disposition 3) that Jest's
 * CommonJS runtime cannot load, and every e2e test of reverse-order loads this module.
 */
export async function consoleStaticPlugin(
  scope: FastifyInstance,
  options: ConsoleStaticOptions,
): Promise<void> {
  let built = consoleBuilt(options.root);
  scope.addHook('onRequest', async (_request, reply) => {
    built ||= consoleBuilt(options.root);
    // Answered here: the route handlers below never run.
    if (!built) return reply.status(404).send(NOT_BUILT);
  });

  scope.route({
    method: ['GET', 'HEAD'],
    url: CONSOLE_PREFIX,
    handler: async (_request, reply) => reply.redirect(`${CONSOLE_PREFIX}/`, 301),
  });

  scope.route<{ Params: { '*': string } }>({
    method: ['GET', 'HEAD'],
    url: `${CONSOLE_PREFIX}/*`,
    handler: async (request, reply) => {
      const file = await readConsoleFile(options.root, request.params['*']);
      if (!file) return notFound(reply, request.url);
      void reply.headers(consoleFileHeaders(`/${file.relativePath}`));
      void reply.header('etag', file.etag);
      if (request.headers['if-none-match'] === file.etag) return reply.status(304).send();
      return reply.type(file.contentType).send(file.body);
    },
  });
}

function notFound(reply: FastifyReply, url: string): FastifyReply {
  return reply.status(404).send(errorBody(404, `no console file at ${url.split('?')[0]}`, 'NOT_FOUND'));
}
