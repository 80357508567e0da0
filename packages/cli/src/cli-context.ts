import type { Readable, Writable } from 'node:stream';
import type { ExitCode } from './exit-codes.js';

/** The streams and signals a command runs with, so the CLI can also be run in-process. */
export interface CliContext {
  /** Results (tables, JSON). */
  readonly stdout: Writable;
  /** Progress, prompts, errors. */
  readonly stderr: Writable;
  /** Answers to confirmation prompts. */
  readonly stdin: Readable;
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
  /** Records the exit code of the command that ran. */
  setExitCode(code: ExitCode): void;
}
