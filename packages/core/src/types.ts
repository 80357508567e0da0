/** How retries are spaced while waiting for a lock. Delays are in milliseconds. */
export interface RetryPolicy {
  /** Base delay between attempts. */
  readonly delay: number;
  /** Each delay is moved by a uniform random amount in [-jitter, +jitter], so contenders do not retry in lock-step. */
  readonly jitter?: number;
  /** Give up after this many attempts (the first one included). Default: until waitTimeout. */
  readonly maxAttempts?: number;
  /** 'fixed' (default) keeps `delay`; 'exponential' doubles it after each attempt up to `maxDelay`. */
  readonly backoff?: 'fixed' | 'exponential';
  /** Upper bound of an exponential delay. Default 2000 ms. */
  readonly maxDelay?: number;
}

/** Options of acquire, tryAcquire and using. */
export interface AcquireOptions {
  /** Lock lifetime in milliseconds: a positive integer. */
  readonly ttl: number;
  /** How long to keep trying, in ms; 0 = one attempt; Infinity = until acquired or aborted. Default per strategy. */
  readonly waitTimeout?: number;
  /** Cancels waiting; the call then rejects with LockAbortedError. */
  readonly signal?: AbortSignal;
  /** Spacing of retries; default per strategy. */
  readonly retry?: RetryPolicy;
}

/** Options of `using`. */
export interface UsingOptions extends AcquireOptions {
  /** Keep the lock alive by extending it at about ttl/3 while the routine runs. */
  readonly autoExtend?: boolean;
}

/** What a strategy can do; the conformance suite and callers read this, nothing else. */
export interface Capabilities {
  /** Every Lock carries a strictly increasing fencingToken per resource. */
  readonly fencing: boolean;
  /** How waiters learn of a release. */
  readonly wakeup: 'pubsub' | 'poll';
  /** Quorum over independent nodes. */
  readonly multiNode: boolean;
  /** WAIT-based replica acknowledgement available. */
  readonly replicationCheck: boolean;
  /** FIFO hand-off available. */
  readonly fair: boolean;
}

/** What `release` found. */
export type ReleaseResult = 'released' | 'expired' | 'not-owner';

/** A held lock. `await using lock = await strategy.acquire(...)` releases it at scope exit. */
export interface Lock extends AsyncDisposable {
  /** The resource this lock is for. */
  readonly resource: string;
  /** Unguessable owner token. */
  readonly token: string;
  /** Strictly increasing per resource, when the strategy has `capabilities.fencing`. */
  readonly fencingToken?: number;
  /** Date.now()-based estimate of expiry, measured from the start of the winning attempt. */
  readonly expiresAt: number;
  /** Aborted when the lock is released, lost, or auto-extension fails. */
  readonly signal: AbortSignal;
  /** Extends the lock to `ttl` ms from now; rejects with LockLostError if it is no longer held. */
  extend(ttl: number): Promise<Lock>;
  /** Releases the lock; idempotent. */
  release(): Promise<ReleaseResult>;
}

/** What `inspect` reports about a held lock. */
export interface LockInfo {
  /** The resource. */
  readonly resource: string;
  /** Remaining time to live in ms. */
  readonly ttl: number;
  /** The latest fencing token issued for the resource, when the strategy has fencing. */
  readonly fencingToken?: number;
}

/** The contract every strategy implements. */
export interface LockStrategy {
  /** Strategy name: 'semaphore' | 'redlock' | 'optimistic' | 'keyed' or a custom one. */
  readonly name: string;
  /** What the strategy can do. */
  readonly capabilities: Capabilities;
  /** Waits up to `waitTimeout` for the lock; rejects with LockTimeoutError. */
  acquire(resource: string, options: AcquireOptions): Promise<Lock>;
  /** Exactly one attempt; resolves null when the lock is held. */
  tryAcquire(resource: string, options: AcquireOptions): Promise<Lock | null>;
  /** Extends a held lock to `ttl` ms from now; rejects with LockLostError if not held. */
  extend(lock: Lock, ttl: number): Promise<Lock>;
  /** Releases a lock; idempotent; says what it found. */
  release(lock: Lock): Promise<ReleaseResult>;
  /** Reports a held lock, or null when the resource is free. */
  inspect(resource: string): Promise<LockInfo | null>;
  /** Acquires, runs `fn`, releases (even when `fn` throws). With `autoExtend` the lock is kept alive meanwhile. */
  using<T>(
    resource: string,
    options: UsingOptions,
    fn: (signal: AbortSignal, lock: Lock) => Promise<T>,
  ): Promise<T>;
  /** Ends subscriptions and timers this strategy created; never quits a client it was given. */
  close(): Promise<void>;
}
