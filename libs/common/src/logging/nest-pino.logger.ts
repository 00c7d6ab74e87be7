import type { LogLevel, LoggerService } from '@nestjs/common';
import type { Level, Logger } from 'pino';

/** Nest's levels, most verbose first, and the pino level each is written at. */
const LEVELS: readonly (readonly [LogLevel, Level])[] = [
  ['verbose', 'trace'],
  ['debug', 'debug'],
  ['log', 'info'],
  ['warn', 'warn'],
  ['error', 'error'],
  ['fatal', 'fatal'],
];
const PINO_LEVEL = new Map<LogLevel, Level>(LEVELS);

/**
 * Nest's logger interface over the app's pino logger, so that Nest itself (startup, routes,
 * exceptions) and every `new Logger(context)` in eos write the same JSON lines. Nest passes the
 * logger's context as the last argument and, for errors, a stack before it.
 */
export class PinoNestLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** `app.useLogger(['error', 'warn'])` (tests) lowers the pino level to the least verbose level given. */
  setLogLevels(levels: LogLevel[]): void {
    const lowest = LEVELS.find(([nest]) => levels.includes(nest));
    this.pino.level = lowest ? (PINO_LEVEL.get(lowest[0]) ?? 'info') : 'silent';
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const rest = params.filter((param) => param !== undefined);
    const last = rest[rest.length - 1];
    if (typeof last === 'string' && !last.includes('\n')) {
      fields.context = last;
      rest.pop();
    }
    for (const param of rest) {
      if (typeof param === 'string' && param.includes('\n')) fields.stack = param;
      else if (param instanceof Error) fields.err = param;
      else if (param !== undefined) fields.detail = param;
    }
    if (message instanceof Error) {
      fields.err = message;
      this.pino[level](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...fields, detail: message });
    } else {
      this.pino[level](fields, String(message));
    }
  }
}
