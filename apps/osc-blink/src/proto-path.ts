import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Finds the repository's proto/ folder from wherever this file runs (sources or dist/). */
export function protoFile(relative: string): string {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'proto', relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`proto/${relative} not found above ${__dirname}`);
    dir = parent;
  }
}
