import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_CSP } from './console-headers';
import { consoleRoot } from './console-root';
import { consoleStaticPlugin } from './console-static.plugin';
import { devSignInAvailable } from './dev-sign-in.service';

describe('the console files under /console', () => {
  let root: string;
  let fastify: FastifyInstance;

  beforeEach(async () => {
    root = join(mkdtempSync(join(tmpdir(), 'eos-console-')), 'dist', 'console');
    fastify = new FastifyAdapter().getInstance<FastifyInstance>();
    await fastify.register(consoleStaticPlugin, { root });
    await fastify.ready();
  });

  afterEach(async () => {
    await fastify.close();
    rmSync(join(root, '..', '..'), { recursive: true, force: true });
  });

  function build(): void {
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(root, 'assets', 'index-C5JMdGWo.js'), 'console.log(1);');
  }

  it('says the console is not built, in the contract error body, until it is', async () => {
    for (const url of ['/console', '/console/', '/console/assets/index-C5JMdGWo.js']) {
      const answer = await fastify.inject({ method: 'GET', url });
      expect([url, answer.statusCode]).toEqual([url, 404]);
      expect(answer.json()).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: expect.stringContaining('npm run build:console'),
        code: 'CONSOLE_NOT_BUILT',
      });
    }
    // Built while the app runs: served at once.
    build();
    expect((await fastify.inject({ method: 'GET', url: '/console/' })).statusCode).toBe(200);
  });

  it('serves the page with its policy, revalidated, and hashed assets cached for good', async () => {
    build();
    const redirect = await fastify.inject({ method: 'GET', url: '/console' });
    expect([redirect.statusCode, redirect.headers.location]).toEqual([301, '/console/']);

    const page = await fastify.inject({ method: 'GET', url: '/console/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['x-content-type-options']).toBe('nosniff');

    const script = await fastify.inject({ method: 'GET', url: '/console/assets/index-C5JMdGWo.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('never serves a file outside the console folder', async () => {
    build();
    writeFileSync(join(root, '..', 'secret.txt'), 'TOP-SECRET');
    for (const url of [
      '/console/../secret.txt',
      '/console/%2e%2e/secret.txt',
      '/console/assets/..%2f..%2fsecret.txt',
      '/console/.%2e/secret.txt',
      '/console/assets//index-C5JMdGWo.js',
      '/console/assets\\..\\..\\secret.txt',
    ]) {
      const answer = await fastify.inject({ method: 'GET', url });
      expect([url, answer.statusCode >= 400, answer.body.includes('TOP-SECRET')]).toEqual([url, true, false]);
    }
  });
});

describe('consoleRoot', () => {
  it('is dist/console under the first folder above that holds a package.json', () => {
    const base = mkdtempSync(join(tmpdir(), 'eos-root-'));
    try {
      mkdirSync(join(base, 'dist', 'apps', 'reverse-order', 'src', 'console'), { recursive: true });
      writeFileSync(join(base, 'package.json'), '{}');
      expect(consoleRoot(join(base, 'dist', 'apps', 'reverse-order', 'src', 'console'))).toBe(
        join(base, 'dist', 'console'),
      );
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('devSignInAvailable', () => {
  it('is offered in development and test, never in production', () => {
    expect([
      devSignInAvailable('development'),
      devSignInAvailable('test'),
      devSignInAvailable('production'),
    ]).toEqual([true, true, false]);
  });
});
