/** Exit codes of the `redis-locks` binary; scripts may rely on them. */
export const EXIT_CODES = {
  /** The command did what was asked; `compare` found no overlap. */
  ok: 0,
  /** A negative result: `compare` found an overlap, `release` found nothing to release or was declined. */
  failed: 1,
  /** Usage error: unknown command or option, invalid value, unknown strategy. */
  usage: 2,
  /** The command could not run: Redis unreachable, no redis-server binary, a worker process crashed. */
  runtime: 3,
  /** Interrupted by SIGINT (128 + 2). */
  interrupted: 130,
} as const;

/** One of the {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
