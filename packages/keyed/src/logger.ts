import { createHash } from 'node:crypto';

/** A pino-, winston- or console-shaped logger: an object with these four methods. */
export interface Logger {
  /** Debug-level entry. */
  debug(...args: any[]): unknown;
  /** Info-level entry. */
  info(...args: any[]): unknown;
  /** Warning-level entry (value mismatches). */
  warn(...args: any[]): unknown;
  /** Error-level entry (Redis errors). */
  error(...args: any[]): unknown;
}

/** One structured log entry: `message` for winston and console, `event` a stable identifier. */
export interface LogEntry {
  /** Human-readable text. */
  readonly message: string;
  /** Stable machine-readable event name, e.g. `value_mismatch` or `redis_error`. */
  readonly event: string;
  readonly [field: string]: unknown;
}

const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;

/** Throws a TypeError naming `name` unless `value` has `debug`, `info`, `warn` and `error` methods. */
export function validateLogger(value: unknown, name: string): Logger {
  const missing =
    typeof value === 'object' && value !== null
      ? LOGGER_METHODS.filter((method) => typeof (value as Record<string, unknown>)[method] !== 'function')
      : [...LOGGER_METHODS];
  if (missing.length > 0) {
    throw Object.assign(
      new TypeError(
        `${name} must be a logger object with debug, info, warn and error methods (pino, winston or console); ` +
          `${typeof value === 'object' && value !== null ? `it lacks ${missing.join(', ')}` : `received ${value === null ? 'null' : typeof value}`}.`,
      ),
      { code: 'ERR_INVALID_ARG_TYPE' },
    );
  }
  return value as Logger;
}

/**
 * A short fingerprint of an owner value for logs (`sha256:` + 8 hex digits): lets you correlate entries
 * without ever writing the value itself, which is the authority to release the lock.
 */
export function fingerprint(value: string): string {
  return `sha256:${createHash('sha256').update(value).digest('hex').slice(0, 8)}`;
}

/** Calls `logger[level](entry)`, never letting a failing logger break a lock operation. */
export function emit(logger: Logger | undefined, level: keyof Logger, entry: LogEntry): void {
  if (!logger) return;
  try {
    logger[level](entry);
  } catch {
    // A broken logger must not turn a lock operation into a failure.
  }
}
