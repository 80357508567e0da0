/** Redis could not be reached: exit code 3. */
export class RedisUnreachableError extends Error {
  /** Stable error code. */
  readonly code = 'ERR_REDIS_UNREACHABLE';

  constructor(message: string) {
    super(message);
    this.name = 'RedisUnreachableError';
  }
}
