import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where `npm run build:console` writes the console, relative to the repository (or image) root. */
export const CONSOLE_OUTPUT_DIR = join('dist', 'console');

/**
 * The built console's folder: `dist/console` under the first folder above this file that holds a
 * package.json. Found the same way from the sources (tests), from dist/ (`npm start`) and in the
 * image (/app), whatever the working directory.
 */
export function consoleRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, CONSOLE_OUTPUT_DIR);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}: cannot place ${CONSOLE_OUTPUT_DIR}`);
    dir = parent;
  }
}

/** Whether the console was built into `root` (its page is what every route under /console needs). */
export function consoleBuilt(root: string): boolean {
  return existsSync(join(root, 'index.html'));
}
