/**
 * The console's Content-Security-Policy: scripts, styles and API calls from this origin only, no
 * inline script or style (the page has none: Vite emits files), no plugins, no framing. A token in
 * sessionStorage is only as safe as the scripts that can read it; this is what keeps them ours.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Hashed asset names (Vite's `assets/name-<hash>.js`) never change content: cache them for good. */
const HASHED_ASSET = /\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/** Headers of one console file: the policy on everything, and a cache rule by kind of file. */
export function consoleFileHeaders(filePath: string): Record<string, string> {
  return {
    'content-security-policy': CONSOLE_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // The page itself is revalidated every time, so a new build is picked up at once.
    'cache-control': HASHED_ASSET.test(filePath) ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
}
