import type { Options } from '@grpc/proto-loader';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The proto package of the partner bridge. */
export const BLINK_PACKAGE = 'eos.blink.v1';

/** The bridge's contract files, relative to the repository's proto/ folder. */
export const BLINK_PROTO_FILES: readonly string[] = [
  'eos/blink/v1/blink.proto',
  'eos/blink/v1/orders.proto',
  'eos/blink/v1/merchant.proto',
  'eos/blink/v1/delivery.proto',
];

/** Finds the repository's proto/ folder from wherever this file runs (sources or dist/). */
export function protoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'proto', BLINK_PROTO_FILES[0]))) return join(dir, 'proto');
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`proto/${BLINK_PROTO_FILES[0]} not found above ${__dirname}`);
    dir = parent;
  }
}

/**
 * How server and clients decode the contract: int64 as decimal strings (never a lossy number),
 * enums by name, unset fields as their defaults, so handlers see one shape for every message.
 */
export function blinkLoaderOptions(): Options {
  return {
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
    includeDirs: [protoRoot()],
  };
}

export function blinkProtoPaths(): string[] {
  const root = protoRoot();
  return BLINK_PROTO_FILES.map((file) => join(root, file));
}
