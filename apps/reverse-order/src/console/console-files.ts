import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';

/** The kinds of file a Vite build of the console emits; anything else is not served. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface ConsoleFile {
  readonly body: Buffer;
  readonly contentType: string;
  /** Weak validator from size and modification time: a rebuild changes it. */
  readonly etag: string;
  /** The path below the console folder, with forward slashes ("assets/index-abc.js"). */
  readonly relativePath: string;
}

/** Plain names only: no "..", ".", empty segment, dotfile, backslash or NUL can reach the disk. */
const SAFE_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** `relativePath` split into safe segments, or null when any segment could step outside the folder. */
export function safeSegments(relativePath: string): string[] | null {
  const segments = relativePath === '' ? ['index.html'] : relativePath.split('/');
  return segments.every((segment) => SAFE_SEGMENT.test(segment) && !segment.includes('..')) ? segments : null;
}

/**
 * A file of the built console, or null when there is no such servable file. The console is a few
 * small files, read whole: no streaming, ranges or compression are worth their code here.
 */
export async function readConsoleFile(root: string, relativePath: string): Promise<ConsoleFile | null> {
  const segments = safeSegments(relativePath);
  if (!segments) return null;
  const contentType = CONTENT_TYPES[extname(segments[segments.length - 1]).toLowerCase()];
  if (!contentType) return null;
  try {
    const realRoot = await realpath(root);
    const path = await realpath(join(root, ...segments));
    // A link inside the build that leads elsewhere is not the console's to serve.
    if (!path.startsWith(realRoot + sep)) return null;
    const info = await stat(path);
    if (!info.isFile()) return null;
    return {
      body: await readFile(path),
      contentType,
      etag: `W/"${info.size.toString(16)}-${Math.trunc(info.mtimeMs).toString(16)}"`,
      relativePath: segments.join('/'),
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
