import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const consoleDir = fileURLToPath(new URL('.', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * The customer-service console, served by reverse-order at /console from dist/console
 * (`npm run build:console`). `vite --config apps/reverse-order/console/vite.config.ts` serves it
 * while editing, its API calls proxied to a local reverse-order.
 */
export default defineConfig({
  root: consoleDir,
  base: '/console/',
  publicDir: false,
  build: {
    outDir: `${repositoryRoot}dist/console`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Every asset a file of its own: the page's policy allows nothing inline, not even data: URLs.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: { '/v1': `http://127.0.0.1:${process.env.REVERSE_PORT ?? '3001'}` },
  },
});
