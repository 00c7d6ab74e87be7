import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A TCP port free on 127.0.0.1 right now, for an app a test starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/**
 * Node arguments that run an app's TypeScript entry point in a child process as `node dist/...`
 * would run the build, without a build: `.ts` files are compiled on require by @swc/core (as Jest
 * does) and the @eos aliases resolved by tsconfig-paths. The hook file is written into `scratchDir`.
 */
export function sourceRunArgs(scratchDir: string, entry: string): string[] {
  const hook = join(scratchDir, 'swc-require-hook.js');
  writeFileSync(
    hook,
    `const { readFileSync } = require('node:fs');
const { transformSync } = require(${JSON.stringify(require.resolve('@swc/core'))});
require.extensions['.ts'] = function compile(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
`,
  );
  return ['-r', 'tsconfig-paths/register', '-r', hook, entry];
}
