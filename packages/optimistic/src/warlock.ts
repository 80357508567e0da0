/**
 * Drop-in replacement for node-redis-warlock 1.0.2: same API, same key layout (`<key>:lock` holding the
 * owner id, set with `SET NX PX`), so processes running the original and this module exclude each other.
 * Differences: ids are unguessable (128 random bits, not time-based v1 UUIDs), every Redis error reaches
 * the callback, ttl and id travel as ARGV, `optimistic` also passes the id, callbacks run at most once,
 * and every method returns a promise when no callback is given.
 */
import {
  createToken,
  type RedisClientLike,
  SingleKeyLockCommands,
  toAdapter,
  validateTtl,
} from '@redis-locks/core';

/** Reply of `unlock`: 1 when the lock was deleted, 0 when it was gone or held under another id. */
export type WarlockUnlockResult = 0 | 1;

/** Reply of `touch`: `'OK'` when the ttl was reset, 0 when the lock was gone or held under another id. */
export type WarlockTouchResult = 'OK' | 0;

/** Callback of `unlock`. */
export type WarlockUnlockCallback = (err: Error | null, result?: WarlockUnlockResult) => void;

/** Callback of `touch`. */
export type WarlockTouchCallback = (err: Error | null, result?: WarlockTouchResult) => void;

/** Releases the lock it was handed out with; returns a promise of the `unlock` reply when no callback is given. */
export interface WarlockUnlock {
  /** Releases the lock and calls `cb(err, 1 | 0)`. */
  (cb: WarlockUnlockCallback): void;
  /** Releases the lock; resolves 1 when deleted, 0 when it was gone or held by someone else. */
  (): Promise<WarlockUnlockResult>;
}

/** Callback of `lock`: `unlock` is a function when obtained, `false` when held; `id` is always given. */
export type WarlockLockCallback = (err: Error | null, unlock?: WarlockUnlock | false, id?: string) => void;

/** Callback of `optimistic`: `unlock` and the lock `id` on success, an {@link WarlockOptimisticError} otherwise. */
export type WarlockOptimisticCallback = (err: Error | null, unlock?: WarlockUnlock, id?: string) => void;

/** What the promise form of `lock` resolves to. */
export interface WarlockLockOutcome {
  /** A function releasing the lock when it was obtained, `false` when someone else holds it. */
  readonly unlock: WarlockUnlock | false;
  /** The id this attempt used (also when the lock was not obtained). */
  readonly id: string;
}

/** What the promise form of `optimistic` resolves to. */
export interface WarlockObtainedLock {
  /** Releases the lock. */
  readonly unlock: WarlockUnlock;
  /** The id of the lock, for `unlock(key, id)` and `touch(key, id, ttl)` from anywhere. */
  readonly id: string;
}

/** The error of `optimistic` when every attempt found the lock held: message `'unable to obtain lock'`. */
export interface WarlockOptimisticError extends Error {
  /** `'LOCK_TIMEOUT'`. */
  code: 'LOCK_TIMEOUT';
  /** The `maxAttempts` argument. */
  maxAttempts: number;
  /** The `key` argument. */
  key: string;
  /** The `ttl` argument. */
  ttl: number;
  /** The `wait` argument. */
  wait: number;
}

/** The object returned by the warlock factory. */
export interface Warlock {
  /** Maps a lock name to its Redis key, `${key}:lock`; overwrite it to change the layout (every method calls it). */
  makeKey(key: string): string;
  /** Tries once to take `key` for `ttl` ms (`SET <key>:lock <id> PX ttl NX`); returns `key`. */
  lock(key: string, ttl: number, cb: WarlockLockCallback): string;
  /** Promise form of `lock`: resolves `{ unlock, id }`, `unlock` being `false` when the lock is held. */
  lock(key: string, ttl: number): Promise<WarlockLockOutcome>;
  /** Deletes the lock if it still holds `id` (atomic compare-and-delete); `cb(null, 1 | 0)`. */
  unlock(key: string, id: string, cb: WarlockUnlockCallback): void;
  /** Promise form of `unlock`: resolves 1 when deleted, 0 otherwise. */
  unlock(key: string, id: string): Promise<WarlockUnlockResult>;
  /** Calls `lock` up to `maxAttempts` times, `wait` ms apart; `cb(null, unlock, id)` or the 'unable to obtain lock' error. */
  optimistic(
    key: string,
    ttl: number,
    maxAttempts: number,
    wait: number,
    cb: WarlockOptimisticCallback,
  ): void;
  /** Promise form of `optimistic`: resolves `{ unlock, id }` or rejects with a {@link WarlockOptimisticError}. */
  optimistic(key: string, ttl: number, maxAttempts: number, wait: number): Promise<WarlockObtainedLock>;
  /** Resets the lock's ttl to `ttl` ms from now if it still holds `id`; `cb(null, 'OK' | 0)`. */
  touch(key: string, id: string, ttl: number, cb: WarlockTouchCallback): void;
  /** Promise form of `touch`: resolves `'OK'` when extended, 0 otherwise. */
  touch(key: string, id: string, ttl: number): Promise<WarlockTouchResult>;
}

type AnyCallback = (err: Error | null, ...results: never[]) => void;

const noop = (): void => undefined;

/** Calls a user callback once; an exception it throws is re-thrown as an uncaught exception, never re-routed. */
function invoke(cb: AnyCallback, err: Error | null, results: readonly unknown[]): void {
  try {
    (cb as (err: Error | null, ...results: unknown[]) => void)(err, ...results);
  } catch (thrown) {
    process.nextTick(() => {
      throw thrown;
    });
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * Hands the outcome of `run` to `cb` (exactly once, asynchronously) or, without a callback, returns it as
 * a promise whose rejection is already marked handled, so a fire-and-forget `unlock()` cannot crash the
 * process with an unhandled rejection. `run` is started synchronously.
 */
function deliver<T>(
  cb: unknown,
  run: () => Promise<T>,
  spread: (value: T) => readonly unknown[],
): Promise<T> | undefined {
  let promise: Promise<T>;
  try {
    promise = run();
  } catch (error) {
    promise = Promise.reject(asError(error));
  }
  if (typeof cb === 'function') {
    promise.then(
      (value) => invoke(cb as AnyCallback, null, spread(value)),
      (error: unknown) => invoke(cb as AnyCallback, asError(error), []),
    );
    return undefined;
  }
  promise.catch(noop);
  return promise;
}

function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string') throw new Error('lock key must be string');
}

function checkId(id: unknown): asserts id is string {
  if (typeof id !== 'string') {
    throw Object.assign(new TypeError(`lock id must be a string; received ${typeof id}.`), {
      code: 'ERR_INVALID_ARG_TYPE',
    });
  }
}

function checkCount(value: unknown, name: string, min: number, allowInfinity: boolean): number {
  if (typeof value !== 'number') {
    throw Object.assign(new TypeError(`${name} must be a number; received ${typeof value}.`), {
      code: 'ERR_INVALID_ARG_TYPE',
    });
  }
  if (
    (allowInfinity && value === Number.POSITIVE_INFINITY) ||
    (Number.isSafeInteger(value) && value >= min)
  ) {
    return value;
  }
  const expected = `an integer >= ${min}${allowInfinity ? ' or Infinity' : ''}`;
  throw Object.assign(new RangeError(`${name} must be ${expected}; received ${value}.`), {
    code: 'ERR_OUT_OF_RANGE',
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Creates a warlock bound to `redis`, an ioredis Redis/Cluster or node-redis v4+ client/cluster (or a
 * RedisAdapter of `@redis-locks/core`). The client is never closed by warlock.
 */
export default function warlock(redis: RedisClientLike): Warlock {
  const commands = new SingleKeyLockCommands(toAdapter(redis, 'redis'));

  const keyOf = (key: string): string => {
    const made: unknown = self.makeKey(key);
    if (typeof made !== 'string' || made === '') {
      throw new TypeError(`warlock.makeKey must return a non-empty string; returned ${typeof made}.`);
    }
    return made;
  };

  const unlockAsync = async (key: unknown, id: unknown): Promise<WarlockUnlockResult> => {
    checkKey(key);
    checkId(id);
    return (await commands.release(keyOf(key), id)) === 'released' ? 1 : 0;
  };

  const unlockFor = (key: string, id: string): WarlockUnlock =>
    ((cb?: WarlockUnlockCallback) =>
      deliver(
        cb,
        () => unlockAsync(key, id),
        (r) => [r],
      )) as WarlockUnlock;

  const lockAsync = async (key: unknown, ttl: unknown): Promise<WarlockLockOutcome> => {
    checkKey(key);
    const ms = validateTtl(ttl, 'ttl');
    const id = createToken();
    const { acquired } = await commands.acquire({ lock: keyOf(key) }, id, ms);
    return { unlock: acquired ? unlockFor(key, id) : false, id };
  };

  const optimisticAsync = async (
    key: unknown,
    ttl: unknown,
    maxAttempts: unknown,
    wait: unknown,
  ): Promise<WarlockObtainedLock> => {
    checkKey(key);
    validateTtl(ttl, 'ttl');
    const attemptsAllowed = checkCount(maxAttempts, 'maxAttempts', 1, true);
    const waitMs = checkCount(wait, 'wait', 0, false);
    for (let attempt = 1; ; attempt++) {
      const { unlock, id } = await lockAsync(key, ttl);
      if (unlock) return { unlock, id };
      if (attempt >= attemptsAllowed) {
        throw Object.assign(new Error('unable to obtain lock'), {
          code: 'LOCK_TIMEOUT' as const,
          maxAttempts: attemptsAllowed,
          key,
          ttl,
          wait: waitMs,
        });
      }
      await sleep(waitMs);
    }
  };

  const touchAsync = async (key: unknown, id: unknown, ttl: unknown): Promise<WarlockTouchResult> => {
    checkKey(key);
    checkId(id);
    const ms = validateTtl(ttl, 'ttl');
    return (await commands.extend(keyOf(key), id, ms)).extended ? 'OK' : 0;
  };

  const self: Warlock = {
    makeKey(key: string): string {
      return `${key}:lock`;
    },
    lock: ((key: string, ttl: number, cb?: WarlockLockCallback) => {
      const promise = deliver(
        cb,
        () => lockAsync(key, ttl),
        (o) => [o.unlock, o.id],
      );
      return typeof cb === 'function' ? key : promise;
    }) as Warlock['lock'],
    unlock: ((key: string, id: string, cb?: WarlockUnlockCallback) =>
      deliver(
        cb,
        () => unlockAsync(key, id),
        (r) => [r],
      )) as Warlock['unlock'],
    optimistic: ((
      key: string,
      ttl: number,
      maxAttempts: number,
      wait: number,
      cb?: WarlockOptimisticCallback,
    ) =>
      deliver(
        cb,
        () => optimisticAsync(key, ttl, maxAttempts, wait),
        (o) => [o.unlock, o.id],
      )) as Warlock['optimistic'],
    touch: ((key: string, id: string, ttl: number, cb?: WarlockTouchCallback) =>
      deliver(
        cb,
        () => touchAsync(key, id, ttl),
        (r) => [r],
      )) as Warlock['touch'],
  };
  return self;
}
