import { format } from 'node:util';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevelName } from '../config/eos.config';
import { activeTraceIds } from '../tracing/trace-spans';
import { sanitizeLogFields, scrubCardNumbers } from './log-sanitizer';
import { requestLogFields } from './request-log.scope';

export type { Logger as AppLogger } from 'pino';

export interface AppLoggerOptions {
  /** The app's name, on every line. */
  readonly app: string;
  readonly level: LogLevelName;
  /** Where lines go; stdout by default. Tests pass a stream to read them back. */
  readonly destination?: DestinationStream;
}

/**
 * The process's structured logger: one JSON object per line with `level` (by name), `time` (ISO),
 * `app` and `msg`, plus, when the line is written while serving a request, `reqId`, `orderId`,
 * `userId` / `staffId` as the request has them, and `traceId` / `spanId` while tracing is on.
 *
 * Every line passes the sanitizer: credential fields are redacted and card-like numbers masked in
 * fields and in the message (formatted here first, so `%s` arguments are covered too).
 */
export function createAppLogger(options: AppLoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { app: options.app },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: sanitizeLogFields,
      },
      // The sanitizer has already reduced errors to plain fields; pino's serializer would retype them.
      serializers: { err: (error: unknown) => error },
      mixin: () => ({ ...requestLogFields(), ...activeTraceIds() }),
      hooks: {
        logMethod(args, write) {
          const [first, ...rest] = args as unknown[];
          if (first instanceof Error) {
            write.call(this, { err: first }, scrubCardNumbers(format(first.message, ...rest)));
          } else if (typeof first === 'object' && first !== null) {
            const [message, ...values] = rest;
            const error = (first as { err?: unknown }).err;
            const text =
              message !== undefined
                ? format(message, ...values)
                : error instanceof Error
                  ? error.message
                  : undefined;
            write.call(this, first, text === undefined ? undefined : scrubCardNumbers(text));
          } else {
            write.call(this, scrubCardNumbers(format(first, ...rest)));
          }
        },
      },
    },
    options.destination ?? bufferedStdout(),
  );
}

/** Lines wait at most this long in the buffer when the process is quiet. */
const FLUSH_INTERVAL_MS = 100;
/** About a dozen request lines: one write system call for all of them under load. */
const BUFFER_BYTES = 4096;

/**
 * Stdout, asynchronous and buffered: a line costs the request a buffer copy, not a write system
 * call (one per request line was about a tenth of a checkout's CPU in the app). A timer writes
 * what a quiet process has buffered, and pino flushes the rest synchronously when the process exits.
 */
function bufferedStdout(): DestinationStream {
  const destination = pino.destination({ dest: 1, sync: false, minLength: BUFFER_BYTES });
  setInterval(() => {
    // Nothing to write yet, or the file descriptor is not open: the next tick tries again.
    try {
      destination.flush();
    } catch {
      /* retried at the next interval */
    }
  }, FLUSH_INTERVAL_MS).unref();
  return destination;
}
