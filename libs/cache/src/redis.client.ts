import { Logger } from '@nestjs/common';
import Redis from 'ioredis';

export interface RedisClientOptions {
  readonly url: string;
  readonly commandTimeoutMs: number;
  readonly name: string;
}

/**
 * An ioredis client that fails fast instead of queueing: no offline queue, one retry, a hard
 * command timeout. Callers treat Redis as an accelerator and fall back when it errs.
 */
export function createRedisClient(options: RedisClientOptions): Redis {
  const logger = new Logger(`redis:${options.name}`);
  const client = new Redis(options.url, {
    connectionName: options.name,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: 2000,
    enableOfflineQueue: false,
    // Commands issued in the same tick travel in one pipeline: fewer round trips on the hot path.
    enableAutoPipelining: true,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let warned = false;
  client.on('error', (error: Error) => {
    // Reconnects repeat the same error every retry; say it once per outage.
    if (!warned) logger.warn(`redis unavailable: ${error.message}`);
    warned = true;
  });
  client.on('ready', () => {
    if (warned) logger.log('redis back');
    warned = false;
  });
  return client;
}

/** Connects, waiting at most `timeoutMs`; on failure the client keeps retrying in the background. */
export async function connectRedis(client: Redis, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('redis connect timeout')), timeoutMs);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
