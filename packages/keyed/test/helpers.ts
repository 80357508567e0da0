import { observeAdapter, type RedisAdapter } from '@redis-locks/core';

/** One call a RecordingLogger received. */
export interface LogCall {
  readonly level: string;
  readonly args: unknown[];
}

/** A pino/winston/console-shaped logger that records every call. */
export function recordingLogger(levels: readonly string[] = ['debug', 'info', 'warn', 'error', 'log']) {
  const calls: LogCall[] = [];
  const logger: Record<string, (...args: unknown[]) => void> = {};
  for (const level of levels) logger[level] = (...args: unknown[]) => void calls.push({ level, args });
  return {
    logger: logger as unknown as {
      debug(...args: unknown[]): void;
      info(...args: unknown[]): void;
      warn(...args: unknown[]): void;
      error(...args: unknown[]): void;
    },
    calls,
    /** The first argument of each call at `level`. */
    entries(level: string): Record<string, unknown>[] {
      return calls.filter((c) => c.level === level).map((c) => c.args[0] as Record<string, unknown>);
    },
  };
}

/** Wraps an adapter to record which scripts run, and whether it was closed. */
export function countingAdapter(inner: RedisAdapter) {
  const scripts: string[] = [];
  const state = { closed: false };
  const adapter = observeAdapter(inner, {
    onScript: (script) => scripts.push(script.name),
    onClose: () => {
      state.closed = true;
    },
  });
  return { adapter, scripts, state };
}
