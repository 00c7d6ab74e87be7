import pino from 'pino';
import { loadConfig } from '../config/eos.config';
import { createAppLogger } from './app-logger';

/**
 * Writes why an app could not start as one JSON line (fatal), like every other line it writes,
 * then exits with 1. The configuration itself may be what failed, so its level is not required.
 */
export function exitOnStartupFailure(app: string, error: unknown): never {
  let level: 'info' | ReturnType<typeof loadConfig>['LOG_LEVEL'] = 'info';
  try {
    level = loadConfig().LOG_LEVEL;
  } catch {
    // The configuration is what failed: log at the default level.
  }
  // Written synchronously: the process exits right after.
  const logger = createAppLogger({ app, level, destination: pino.destination({ dest: 1, sync: true }) });
  logger.fatal(
    { err: error instanceof Error ? error : new Error(String(error)) },
    `${app} failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
