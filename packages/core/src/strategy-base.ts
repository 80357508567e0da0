import { startAutoExtension } from './auto-extend.js';
import {
  isLockError,
  LockAbortedError,
  LockClosedError,
  LockError,
  LockLostError,
  LockRedisError,
  LockTimeoutError,
} from './errors.js';
import { LockHandle } from './lock-handle.js';
import type { AttemptContext, AttemptResult, ExtendResult } from './primitives.js';
import { retryDelay } from './retry.js';
import { monotonicNow, nextTurn, settlesWithin, wakeableSleep } from './timers.js';
import { createToken } from './token.js';
import type {
  AcquireOptions,
  Capabilities,
  Lock,
  LockInfo,
  LockStrategy,
  ReleaseResult,
  RetryPolicy,
  UsingOptions,
} from './types.js';
import {
  validateAcquireOptions,
  validateFunction,
  validateObject,
  validateResource,
  validateTtl,
} from './validation.js';

/** Defaults a strategy chooses for its callers. */
export interface StrategyDefaults {
  /** Default `waitTimeout` of acquire, in ms. */
  readonly waitTimeout: number;
  /** Default retry spacing while waiting. */
  readonly retry: RetryPolicy;
  /** Longest time a notified waiter ('pubsub' wake-up) sleeps before re-checking anyway, in ms. */
  readonly fallbackInterval: number;
}

/**
 * How long past the wait's deadline an acquire waits for an attempt Redis has not answered, and how long a
 * giving-up waiter waits for its clean-up, in ms. Both only bound a client that never answers.
 */
const STUCK_ATTEMPT_GRACE = 1000;

/** The longest delay setTimeout honours; a longer one fires after 1 ms. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

/** Defaults used when a strategy does not choose its own. */
export const DEFAULT_STRATEGY_DEFAULTS: StrategyDefaults = {
  waitTimeout: 10_000,
  retry: { delay: 100, jitter: 50, backoff: 'fixed' },
  fallbackInterval: 1_000,
};

/** Stops watching for release notifications. */
export type Unwatch = () => Promise<void>;

/**
 * A direct hand-off announced with a release notification: the lock now belongs to `token`. The waiter
 * that owns `token` takes the lock without another round trip (or, with `verify`, re-attempts at once);
 * every other waiter ignores it, since the lock is not free for them.
 */
export interface WatchGrant {
  /** The owner token the lock was handed to. */
  readonly token: string;
  /** Wake the owner to re-attempt instead of taking the lock from the notification (e.g. to confirm replication). */
  readonly verify?: boolean;
  /** Fencing token issued with the hand-off. */
  readonly fencingToken?: number;
  /** Milliseconds of validity from the moment the notification arrived; default the requested ttl. */
  readonly validity?: number;
}

/**
 * Owns all policy once — validation, waiting, retry with jitter, AbortSignal, auto-extension, lost-lock
 * signalling, `using`, disposal — and calls a strategy's Redis primitives (the `_`-prefixed methods).
 * A strategy extends this class and implements only those primitives.
 */
export abstract class LockStrategyBase implements LockStrategy {
  abstract readonly name: string;
  abstract readonly capabilities: Capabilities;

  /** Closed strategies reject every call with LockClosedError. */
  protected closed = false;
  /** Wakes every sleeping waiter on close(); a Set, not an AbortSignal, to keep EventTarget off the wait path. */
  private readonly wakeOnClose = new Set<() => void>();
  private readonly heldWithAutoExtension = new Set<LockHandle>();
  private readonly pendingUnwatches = new Set<Promise<void>>();

  protected constructor(protected readonly defaults: StrategyDefaults = DEFAULT_STRATEGY_DEFAULTS) {}

  /** One atomic acquisition attempt for `token`. */
  protected abstract _attempt(
    resource: string,
    token: string,
    ttl: number,
    context: AttemptContext,
  ): Promise<AttemptResult>;
  /** One atomic compare-and-extend. */
  protected abstract _extend(resource: string, token: string, ttl: number): Promise<ExtendResult>;
  /** One atomic compare-and-release. */
  protected abstract _release(resource: string, token: string): Promise<ReleaseResult>;
  /** Reads the state of a lock. */
  protected abstract _inspect(resource: string): Promise<LockInfo | null>;
  /** Ends what the strategy opened (subscriptions, adapters it created). */
  protected abstract _close(): Promise<void>;
  /**
   * Calls `onRelease` when the resource may have been released (a hint: waiters re-check). Resolves
   * once notifications are guaranteed to arrive. Strategies without notifications leave it undefined.
   * A strategy that hands the lock over directly passes a {@link WatchGrant} naming the new owner.
   */
  protected _watch?(resource: string, onRelease: (grant?: WatchGrant) => void): Promise<Unwatch>;
  /**
   * True when notifications for the resource already arrive (a channel still subscribed from recent
   * contention): a waiting caller then listens before its first attempt and needs no re-check after it.
   */
  protected _isWatched?(resource: string): boolean;
  /** Called when a waiter gives up, so queue-based strategies can drop it. */
  protected _abandon?(resource: string, token: string): Promise<void>;
  /** The owner token of a new lock; strategies whose callers choose it override this. */
  protected _token(_options: Readonly<Record<string, unknown>>): string {
    return createToken();
  }
  /** Validates strategy-specific acquire options (called after the common ones). */
  protected _validateAcquireOptions(_options: Readonly<Record<string, unknown>>): void {}

  // Not async: the promise of acquireWithin is returned as it is, one microtask turn sooner.
  acquire(resource: string, options: AcquireOptions): Promise<Lock> {
    return this.acquireWithin(resource, options, 'acquire') as Promise<Lock>;
  }

  tryAcquire(resource: string, options: AcquireOptions): Promise<Lock | null> {
    return this.acquireWithin(resource, options, 'tryAcquire');
  }

  async extend(lock: Lock, ttl: number): Promise<Lock> {
    this.validateLock(lock);
    validateTtl(ttl);
    this.assertOpen(lock.resource);
    const handle = lock instanceof LockHandle ? lock : undefined;
    if (handle?.releasing) throw new LockLostError(lock.resource, 'it was released');
    if (handle?.ended)
      throw new LockLostError(lock.resource, 'it was lost earlier', { cause: handle.signal.reason });
    const run = async (): Promise<Lock> => {
      const started = Date.now();
      const result = await this.call(lock.resource, 'extend', () =>
        this._extend(lock.resource, lock.token, ttl),
      );
      if (!result.extended) {
        const error = new LockLostError(
          lock.resource,
          result.reason === 'expired' ? 'it expired before the extension' : 'another owner holds it now',
        );
        if (handle) this.markLost(handle, error);
        throw error;
      }
      if (handle) handle.expiresAtValue = started + (result.validity ?? ttl);
      return lock;
    };
    if (!handle) return run();
    const pending = run();
    handle.extending = pending;
    try {
      return await pending;
    } finally {
      if (handle.extending === pending) handle.extending = undefined;
    }
  }

  async release(lock: Lock): Promise<ReleaseResult> {
    this.validateLock(lock);
    if (!(lock instanceof LockHandle)) {
      return this.call(lock.resource, 'release', () => this._release(lock.resource, lock.token));
    }
    if (!lock.releasing) {
      lock.stopAutoExtension?.();
      this.heldWithAutoExtension.delete(lock);
      lock.releasing = (async () => {
        // Never race an extension that is already on the wire.
        await lock.extending?.catch(() => undefined);
        const result = await this.call(lock.resource, 'release', () =>
          this._release(lock.resource, lock.token),
        );
        lock.end(() =>
          result === 'released'
            ? new LockError('LOCK_RELEASED', `Lock on "${lock.resource}" was released.`, {
                resource: lock.resource,
              })
            : new LockLostError(
                lock.resource,
                result === 'expired' ? 'it had expired' : 'another owner held it',
              ),
        );
        return result;
      })();
      // A failed release may be retried by the caller.
      lock.releasing.catch(() => {
        lock.releasing = undefined;
      });
    }
    return lock.releasing;
  }

  async inspect(resource: string): Promise<LockInfo | null> {
    validateResource(resource);
    this.assertOpen(resource);
    return this.call(resource, 'inspect', () => this._inspect(resource));
  }

  async using<T>(
    resource: string,
    options: UsingOptions,
    fn: (signal: AbortSignal, lock: Lock) => Promise<T>,
  ): Promise<T> {
    validateFunction(fn, 'fn');
    const lock = (await this.acquireWithin(resource, options, 'acquire')) as LockHandle;
    if (options.autoExtend) this.autoExtend(lock, options.ttl);
    let result: T;
    try {
      result = await fn(lock.signal, lock);
    } catch (error) {
      // The routine's own error matters more than a failed release.
      await this.release(lock).catch(() => undefined);
      throw error;
    }
    await this.release(lock);
    return result;
  }

  /** Keeps util.inspect and test printers away from `inspect(resource)`, which they would call as a formatter. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `${this.constructor.name} { name: '${this.name}', closed: ${this.closed} }`;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const wake of this.wakeOnClose) wake();
    this.wakeOnClose.clear();
    for (const handle of this.heldWithAutoExtension) {
      handle.stopAutoExtension?.();
      this.markLost(
        handle,
        new LockLostError(handle.resource, 'the strategy was closed, so auto-extension stopped'),
      );
    }
    this.heldWithAutoExtension.clear();
    await Promise.allSettled([...this.pendingUnwatches]);
    await this._close();
  }

  /** Starts auto-extension of a held lock at about ttl/3; `lock.signal` aborts if it is lost. */
  protected autoExtend(lock: LockHandle, ttl: number): void {
    lock.stopAutoExtension?.();
    this.heldWithAutoExtension.add(lock);
    lock.stopAutoExtension = startAutoExtension(
      lock,
      ttl,
      () => this.extend(lock, ttl),
      (error) => this.markLost(lock, error),
    );
  }

  private markLost(handle: LockHandle, error: LockLostError): void {
    handle.stopAutoExtension?.();
    this.heldWithAutoExtension.delete(handle);
    handle.end(() => error);
  }

  private assertOpen(resource?: string): void {
    if (this.closed) throw new LockClosedError(resource === undefined ? {} : { resource });
  }

  private validateLock(lock: Lock): void {
    const value = validateObject(lock, 'lock');
    validateResource(value.resource, 'lock.resource');
    if (typeof value.token !== 'string' || value.token.length === 0) {
      throw Object.assign(
        new TypeError('lock.token must be a non-empty string; pass a Lock returned by acquire().'),
        {
          code: 'ERR_INVALID_ARG_TYPE',
        },
      );
    }
  }

  /** Runs a primitive; client errors become LockRedisError with the original as `cause`. */
  private async call<T>(resource: string, operation: string, primitive: () => Promise<T>): Promise<T> {
    try {
      return await primitive();
    } catch (error) {
      if (isLockError(error)) throw error;
      throw new LockRedisError(resource, operation, error);
    }
  }

  private async acquireWithin(
    resource: string,
    rawOptions: AcquireOptions,
    mode: 'acquire' | 'tryAcquire',
  ): Promise<LockHandle | null> {
    validateResource(resource);
    const options = validateAcquireOptions(rawOptions);
    this._validateAcquireOptions(options as unknown as Record<string, unknown>);
    this.assertOpen(resource);
    const { ttl, signal } = options;
    if (signal?.aborted) throw new LockAbortedError(resource, { cause: signal.reason });

    const waitTimeout = mode === 'tryAcquire' ? 0 : (options.waitTimeout ?? this.defaults.waitTimeout);
    const retry = options.retry ?? this.defaults.retry;
    const maxAttempts = mode === 'tryAcquire' ? 1 : (retry.maxAttempts ?? Number.POSITIVE_INFINITY);
    const token = this._token(options as unknown as Record<string, unknown>);
    const startedAt = monotonicNow();
    const deadline = startedAt + waitTimeout;

    // Notifications are hints: a flag set by the listener means "re-check now", so a release that lands
    // between an attempt and the sleep is never missed; the sleep is bounded either way.
    let notified = false;
    let wake: (() => void) | undefined;
    // A hand-off to this waiter's own token (fair strategies): the lock is held, no re-attempt needed.
    let granted: { fencingToken?: number; expiresAt: number } | undefined;
    const onRelease = (grant?: WatchGrant) => {
      if (grant !== undefined && grant.token !== token) return;
      if (grant !== undefined && !grant.verify && !granted) {
        granted = {
          ...(grant.fencingToken === undefined ? {} : { fencingToken: grant.fencingToken }),
          expiresAt: Date.now() + (grant.validity ?? ttl),
        };
      }
      notified = true;
      wake?.();
    };
    const handOver = async (fields: { fencingToken?: number; expiresAt: number }): Promise<LockHandle> => {
      const handle = new LockHandle(this, { resource, token, ...fields });
      if (signal?.aborted || this.closed) {
        // The caller gave up while the winning attempt was on the wire: leave no orphan lock behind.
        await settlesWithin(this.release(handle), STUCK_ATTEMPT_GRACE);
        this.throwIfStopped(resource, signal);
      }
      return handle;
    };
    // Closed, aborted, or Redis never answered by the deadline (see unlessStopped).
    const stoppedWaiting = (attempt: number): LockError => {
      this.throwIfStopped(resource, signal);
      return new LockTimeoutError(resource, attempt, Math.round(monotonicNow() - startedAt), {
        cause: new Error('Redis did not answer by the wait deadline.'),
      });
    };
    let unwatch: Unwatch | undefined;
    // Registered only once this call has to sleep: the uncontended path allocates nothing for waiting.
    let listening = false;
    const onStop = () => wake?.();

    try {
      // Listening costs nothing here while the channel is still subscribed, and saves the re-check attempt.
      if (waitTimeout > 0 && this._isWatched?.(resource))
        unwatch = await this.call(resource, 'watch', () => this._watch!(resource, onRelease));
      for (let attempt = 1; ; attempt++) {
        if (granted) return await handOver(granted);
        this.throwIfStopped(resource, signal);
        notified = false;
        const attemptStartedAt = Date.now();
        const willWait = attempt < maxAttempts && monotonicNow() < deadline;
        const result = await this.unlessStopped(
          this.attemptOnce(resource, token, ttl, { attempt, willWait, options: options as never }),
          signal,
          waitTimeout > 0 ? deadline + STUCK_ATTEMPT_GRACE : undefined,
          (late) => (late.acquired ? this._release(resource, token) : undefined),
        );
        if (result === 'stopped') throw stoppedWaiting(attempt);
        if (result.acquired) {
          return await handOver({
            ...(result.fencingToken === undefined ? {} : { fencingToken: result.fencingToken }),
            expiresAt: attemptStartedAt + (result.validity ?? ttl),
          });
        }
        if (granted) return await handOver(granted);
        const remaining = deadline - monotonicNow();
        if (attempt >= maxAttempts || remaining <= 0) {
          if (mode === 'tryAcquire') return null;
          throw new LockTimeoutError(
            resource,
            attempt,
            Math.round(monotonicNow() - startedAt),
            result.reason === undefined ? {} : { cause: result.reason },
          );
        }
        if (!unwatch && this._watch) {
          // Subscribe only once contended (the uncontended path stays at one round trip), then re-check
          // at once: a release published before the subscription was confirmed is caught by that attempt.
          // Not after close(): the strategy already ended its subscriptions, and this one would outlive it.
          this.throwIfStopped(resource, signal);
          const watching = await this.unlessStopped(
            this.call(resource, 'watch', () => this._watch!(resource, onRelease)),
            signal,
            deadline + STUCK_ATTEMPT_GRACE,
            (late) => late(),
          );
          if (watching === 'stopped') throw stoppedWaiting(attempt);
          unwatch = watching;
          continue;
        }
        let delay =
          this.capabilities.wakeup === 'pubsub' ? this.defaults.fallbackInterval : retryDelay(retry, attempt);
        if (result.retryAfter !== undefined && result.retryAfter > 0)
          delay = Math.min(delay, result.retryAfter + 1);
        delay = Math.min(delay, Math.max(0, remaining));
        if (!listening) {
          listening = true;
          signal?.addEventListener('abort', onStop, { once: true });
          this.wakeOnClose.add(onStop);
        }
        // An abort or close() during the attempt found no sleep to wake: the loop's first check catches it.
        if (!notified && delay > 0 && !signal?.aborted && !this.closed) {
          const sleeping = wakeableSleep(delay);
          wake = sleeping.wake;
          await sleeping.done;
          wake = undefined;
        }
      }
    } catch (error) {
      // Giving up for any reason: leave no queue entry behind that a hand-off could still pick. Bounded: a
      // client that does not answer must not keep the caller waiting (the entry then expires by itself).
      await settlesWithin(this.abandon(resource, token), STUCK_ATTEMPT_GRACE);
      // close() tearing down a subscription mid-wait is the close, not a Redis failure.
      if (this.closed && !isLockError(error, 'LOCK_CLOSED'))
        throw new LockClosedError({ resource, cause: error });
      throw error;
    } finally {
      if (listening) {
        signal?.removeEventListener('abort', onStop);
        this.wakeOnClose.delete(onStop);
      }
      // Unsubscribing waits for the next turn of the event loop: the caller gets its lock first.
      if (unwatch) this.track(nextTurn().then(unwatch));
    }
  }

  /**
   * Waits for an attempt (or a subscription), but not past close(), an abort or `until` (monotonic ms): a
   * client that never answers (node-redis queues commands while Redis is down, and can lose one across a
   * reconnect) must not keep the caller waiting forever. What is given up on may still complete later:
   * `undo` then cleans it up (an attempt that won releases its lock).
   */
  private async unlessStopped<T>(
    pending: Promise<T>,
    signal: AbortSignal | undefined,
    until: number | undefined,
    undo: (late: T) => unknown,
  ): Promise<T | 'stopped'> {
    let stop!: () => void;
    const stopped = new Promise<'stopped'>((resolve) => {
      stop = () => resolve('stopped');
    });
    const delay = until === undefined ? Number.POSITIVE_INFINITY : Math.max(0, until - monotonicNow());
    // Longer than a timer can count (waitTimeout: Infinity, say): no deadline at all, not an overflow to 1 ms.
    const timer = delay <= MAX_TIMER_DELAY ? setTimeout(stop, delay) : undefined;
    timer?.unref();
    signal?.addEventListener('abort', stop, { once: true });
    this.wakeOnClose.add(stop);
    try {
      const outcome = await Promise.race([pending, stopped]);
      if (outcome === 'stopped') pending.then(undo).catch(() => undefined);
      return outcome;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
      this.wakeOnClose.delete(stop);
    }
  }

  /** One attempt; on a Redis error the token is released best-effort, since the write may have landed. */
  private async attemptOnce(
    resource: string,
    token: string,
    ttl: number,
    context: AttemptContext,
  ): Promise<AttemptResult> {
    try {
      return await this._attempt(resource, token, ttl, context);
    } catch (error) {
      await this._release(resource, token).catch(() => undefined);
      if (isLockError(error)) throw error;
      throw new LockRedisError(resource, 'acquire', error);
    }
  }

  private async abandon(resource: string, token: string): Promise<void> {
    if (this._abandon) await this._abandon(resource, token).catch(() => undefined);
  }

  private throwIfStopped(resource: string, signal: AbortSignal | undefined): void {
    if (this.closed) throw new LockClosedError({ resource });
    if (signal?.aborted) throw new LockAbortedError(resource, { cause: signal.reason });
  }

  private track(pending: Promise<void>): void {
    const settled = pending.catch(() => undefined);
    this.pendingUnwatches.add(settled);
    void settled.then(() => this.pendingUnwatches.delete(settled));
  }
}
