/** A mistake in how the command was called (bad option value, unknown strategy...): exit code 2. */
export class UsageError extends Error {
  /** Stable error code. */
  readonly code = 'ERR_USAGE';

  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
