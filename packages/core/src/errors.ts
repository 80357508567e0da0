const LOCK_ERROR_MARKER = Symbol.for('redis-locks.LockError');

/** Stable codes carried by every {@link LockError}. */
export type LockErrorCode =
  | 'LOCK_TIMEOUT'
  | 'LOCK_BUSY'
  | 'LOCK_LOST'
  | 'LOCK_QUORUM'
  | 'LOCK_REPLICATION'
  | 'LOCK_ABORTED'
  | 'LOCK_CLOSED'
  | 'LOCK_RELEASED'
  | 'LOCK_REDIS';

/** Base class of every error the library raises about a lock; check `code`, not the message. */
export class LockError extends Error {
  /** Stable machine-readable code. */
  readonly code: LockErrorCode;
  /** The resource the error is about, when there is one. */
  readonly resource: string | undefined;

  constructor(code: LockErrorCode, message: string, options: { cause?: unknown; resource?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LockError';
    this.code = code;
    this.resource = options.resource;
    // A marker instead of instanceof, so duplicated copies of the package still recognise each other.
    Object.defineProperty(this, LOCK_ERROR_MARKER, { value: true });
  }
}

/** True when `error` is a LockError from any copy of this package, optionally with the given code. */
export function isLockError(error: unknown, code?: LockErrorCode): error is LockError {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as Record<symbol, unknown>)[LOCK_ERROR_MARKER] !== true) return false;
  return code === undefined || (error as LockError).code === code;
}

/** The lock could not be acquired within `waitTimeout` (or `retry.maxAttempts`). */
export class LockTimeoutError extends LockError {
  /** How many acquisition attempts were made. */
  readonly attempts: number;
  /** Milliseconds spent waiting. */
  readonly waited: number;
  constructor(resource: string, attempts: number, waited: number, options: { cause?: unknown } = {}) {
    super(
      'LOCK_TIMEOUT',
      `Could not acquire "${resource}" within ${waited} ms (${attempts} attempt${attempts === 1 ? '' : 's'}): ` +
        'another owner held it. Raise waitTimeout, or use tryAcquire() to get null instead of an error.',
      { ...options, resource },
    );
    this.name = 'LockTimeoutError';
    this.attempts = attempts;
    this.waited = waited;
  }
}

/** The resource is held by another owner and the caller asked not to wait. */
export class LockBusyError extends LockError {
  constructor(resource: string, options: { cause?: unknown } = {}) {
    super('LOCK_BUSY', `"${resource}" is held by another owner.`, { ...options, resource });
    this.name = 'LockBusyError';
  }
}

/** The lock is no longer held by this owner (expired, taken over, or force-released). */
export class LockLostError extends LockError {
  constructor(resource: string, detail: string, options: { cause?: unknown } = {}) {
    super(
      'LOCK_LOST',
      `Lock on "${resource}" is no longer held: ${detail}. Stop the protected work; acquire again if needed.`,
      { ...options, resource },
    );
    this.name = 'LockLostError';
  }
}

/** One node's answer in a quorum operation. */
export interface NodeVote {
  /** Index of the node in the `clients` array. */
  readonly node: number;
  /** What the node answered. */
  readonly vote: 'for' | 'against' | 'error' | 'timeout';
  /** The node's error, when `vote` is 'error' or 'timeout'. */
  readonly error?: unknown;
}

/** A quorum operation did not reach a majority; `votes` says what each node answered. */
export class LockQuorumError extends LockError {
  /** Per-node answers. */
  readonly votes: readonly NodeVote[];
  constructor(
    resource: string,
    operation: string,
    votes: readonly NodeVote[],
    options: { cause?: unknown } = {},
  ) {
    const summary = votes.map((v) => `node ${v.node}: ${v.vote}`).join(', ');
    super('LOCK_QUORUM', `Could not ${operation} "${resource}" on a quorum of nodes (${summary}).`, {
      ...options,
      resource,
    });
    this.name = 'LockQuorumError';
    this.votes = votes;
  }
}

/** Too few replicas acknowledged the lock write in time. */
export class LockReplicationError extends LockError {
  /** Replicas that acknowledged. */
  readonly acknowledged: number;
  /** Replicas that were required. */
  readonly required: number;
  constructor(resource: string, acknowledged: number, required: number, options: { cause?: unknown } = {}) {
    super(
      'LOCK_REPLICATION',
      `Lock on "${resource}" reached ${acknowledged} of ${required} required replicas in time, so it was rolled ` +
        'back. Check replica health, or raise replication.timeout.',
      { ...options, resource },
    );
    this.name = 'LockReplicationError';
    this.acknowledged = acknowledged;
    this.required = required;
  }
}

/** Waiting was cancelled through the caller's AbortSignal. */
export class LockAbortedError extends LockError {
  constructor(resource: string, options: { cause?: unknown } = {}) {
    super('LOCK_ABORTED', `Acquiring "${resource}" was aborted by the caller's signal.`, {
      ...options,
      resource,
    });
    this.name = 'LockAbortedError';
  }
}

/** The strategy was closed; create a new one to continue. */
export class LockClosedError extends LockError {
  constructor(options: { cause?: unknown; resource?: string } = {}) {
    super('LOCK_CLOSED', 'This lock strategy was closed; create a new one to take more locks.', options);
    this.name = 'LockClosedError';
  }
}

/** A Redis command failed; `cause` is the client's own error. */
export class LockRedisError extends LockError {
  constructor(resource: string, operation: string, cause: unknown) {
    const reason = (cause instanceof Error ? cause.message : String(cause)).replace(/\.$/, '');
    super(
      'LOCK_REDIS',
      `Redis failed to ${operation} "${resource}": ${reason}. Check the connection and that the key is not used by something else.`,
      { cause, resource },
    );
    this.name = 'LockRedisError';
  }
}
