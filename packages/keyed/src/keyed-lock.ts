import {
  type AcquireOptions,
  type AttemptContext,
  type AttemptResult,
  type ClientStrategyOptions,
  createToken,
  type ExtendResult,
  type Lock,
  LockClosedError,
  LockHandle,
  type LockInfo,
  LockLostError,
  LockRedisError,
  type ReleaseResult,
  SingleKeyLockStrategy,
  type UsingOptions,
  validateObject,
  validateResource,
} from '@redis-locks/core';
import { emit, fingerprint, type Logger, validateLogger } from './logger.js';
import { validateValue } from './value.js';

/** Options of {@link createKeyedLock}. */
export interface KeyedLockOptions extends ClientStrategyOptions {
  /**
   * Receives value mismatches (`warn`) and Redis errors (`error`) as one structured object per entry.
   * pino, winston and console fit. Default: none (silent).
   */
  readonly logger?: Logger;
}

/** Acquire options of a keyed lock: the caller may choose the owner value. */
export interface KeyedAcquireOptions extends AcquireOptions {
  /**
   * The owner value stored in the lock (a non-empty string of at most 1 KiB). Whoever knows it can
   * release or extend the lock, so make it unguessable. Default: 16 random bytes, hex.
   */
  readonly value?: string;
}

/** Options of `using` on a keyed lock. */
export interface KeyedUsingOptions extends UsingOptions {
  /** The owner value stored in the lock; see {@link KeyedAcquireOptions.value}. */
  readonly value?: string;
}

/** Options of {@link KeyedLock.inspect}. */
export interface KeyedInspectOptions {
  /** Compare the stored owner value with this one (inside Redis; the stored value is never returned). */
  readonly value?: string;
}

/** What {@link KeyedLock.inspect} reports about a held lock. */
export interface KeyedLockInfo extends LockInfo {
  /** Whether the lock holds the value passed to inspect; present only when a value was passed. */
  readonly matches?: boolean;
}

/** Default key prefix of keyed locks. */
export const DEFAULT_KEYED_NAMESPACE = 'redis-locks:keyed';

/**
 * Value-checked keyed locks: `SET NX PX` with a caller-chosen (or random) owner value and a fencing
 * counter; release and extend compare the value atomically in one script. Single primary.
 */
export class KeyedLock extends SingleKeyLockStrategy {
  readonly name = 'keyed';
  readonly capabilities = {
    fencing: true,
    wakeup: 'poll',
    multiNode: false,
    replicationCheck: false,
    fair: false,
  } as const;
  private readonly logger: Logger | undefined;

  constructor(options: KeyedLockOptions) {
    // One attempt by default: waiting is opt-in for keyed locks.
    super(options, { namespace: DEFAULT_KEYED_NAMESPACE, waitTimeout: 0 });
    this.logger = options.logger === undefined ? undefined : validateLogger(options.logger, 'options.logger');
  }

  /** Waits up to `waitTimeout` (default 0: one attempt); `options.value` chooses the owner value. */
  override acquire(resource: string, options: KeyedAcquireOptions): Promise<Lock> {
    return super.acquire(resource, options);
  }

  /** Exactly one attempt; resolves null when the lock is held. `options.value` chooses the owner value. */
  override tryAcquire(resource: string, options: KeyedAcquireOptions): Promise<Lock | null> {
    return super.tryAcquire(resource, options);
  }

  /** Acquires (with `options.value` when given), runs `fn`, releases. */
  override using<T>(
    resource: string,
    options: KeyedUsingOptions,
    fn: (signal: AbortSignal, lock: Lock) => Promise<T>,
  ): Promise<T> {
    return super.using(resource, options, fn);
  }

  /**
   * Reports a held lock, or null when the resource is free. With `{ value }` the report also says
   * whether the lock holds that value (`matches`), compared inside Redis; the stored value is never read back.
   */
  override async inspect(resource: string, options?: KeyedInspectOptions): Promise<KeyedLockInfo | null> {
    validateResource(resource);
    let value: string | undefined;
    if (options !== undefined) {
      const opts = validateObject(options, 'options');
      if (opts.value !== undefined) value = validateValue(opts.value, 'options.value');
    }
    this.assertNotClosed(resource);
    try {
      return await this.inspectWith(resource, value);
    } catch (error) {
      throw new LockRedisError(resource, 'inspect', error);
    }
  }

  /**
   * Hand-off between processes: a Lock handle for a lock another process (or another strategy
   * instance) acquired, given only its resource and owner value. Verifies in Redis that the lock
   * currently holds `value`; rejects with LockLostError when it does not or when the lock is gone.
   * The handle can then be extended and released like any other; `expiresAt` is now + remaining ttl,
   * `fencingToken` the resource's current counter.
   */
  async lockFromValue(resource: string, value: string): Promise<Lock> {
    validateResource(resource);
    validateValue(value, 'value');
    this.assertNotClosed(resource);
    const started = Date.now();
    let reply: { pttl: number; fencingToken: number; matches: boolean };
    try {
      reply = await this.run('lockFromValue', resource, () =>
        this.commands.inspect(this.keysOf(resource), value),
      );
    } catch (error) {
      throw new LockRedisError(resource, 'take over', error);
    }
    if (reply.pttl === -2)
      throw new LockLostError(resource, 'no lock is held on it, so there is nothing to take over');
    if (!reply.matches) {
      this.mismatch('lockFromValue', resource, value);
      throw new LockLostError(
        resource,
        'it is held with another value, so it cannot be taken over with this one',
      );
    }
    return new LockHandle(this, {
      resource,
      token: value,
      ...(reply.fencingToken > 0 ? { fencingToken: reply.fencingToken } : {}),
      expiresAt: reply.pttl === -1 ? Number.POSITIVE_INFINITY : started + reply.pttl,
    });
  }

  protected override _token(options: Readonly<Record<string, unknown>>): string {
    return typeof options.value === 'string' ? options.value : createToken();
  }

  protected override _validateAcquireOptions(options: Readonly<Record<string, unknown>>): void {
    if (options.value !== undefined) validateValue(options.value, 'options.value');
  }

  protected override _attempt(
    resource: string,
    token: string,
    ttl: number,
    context: AttemptContext,
  ): Promise<AttemptResult> {
    // A caller-chosen value may be reused on purpose: only a random token makes a resent acquire idempotent.
    const idempotent = context.options.value === undefined;
    return this.run('acquire', resource, () =>
      this.commands.acquire(this.keysOf(resource), token, ttl, idempotent),
    );
  }

  protected override async _extend(resource: string, token: string, ttl: number): Promise<ExtendResult> {
    const result = await this.run('extend', resource, () => super._extend(resource, token, ttl));
    if (!result.extended && result.reason === 'not-owner') this.mismatch('extend', resource, token);
    return result;
  }

  protected override async _release(resource: string, token: string): Promise<ReleaseResult> {
    const result = await this.run('release', resource, () => super._release(resource, token));
    if (result === 'not-owner') this.mismatch('release', resource, token);
    return result;
  }

  protected override _inspect(resource: string): Promise<LockInfo | null> {
    return this.inspectWith(resource, undefined);
  }

  private async inspectWith(resource: string, value: string | undefined): Promise<KeyedLockInfo | null> {
    const reply = await this.run('inspect', resource, () =>
      this.commands.inspect(this.keysOf(resource), value),
    );
    if (reply.pttl === -2) return null;
    const info = { resource, ttl: reply.pttl, fencingToken: reply.fencingToken };
    return value === undefined ? info : { ...info, matches: reply.matches };
  }

  private assertNotClosed(resource: string): void {
    if (this.closed) throw new LockClosedError({ resource });
  }

  /** Runs one Redis call; a Redis error is logged (error level) and rethrown. */
  private async run<T>(operation: string, resource: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      emit(this.logger, 'error', {
        message: `redis-locks/keyed: Redis failed to ${operation} "${resource}": ${error instanceof Error ? error.message : String(error)}`,
        event: 'redis_error',
        operation,
        resource,
        error,
      });
      throw error;
    }
  }

  /** Logs (warn level) an operation refused because the lock holds another value; never logs the value. */
  private mismatch(operation: string, resource: string, value: string): void {
    emit(this.logger, 'warn', {
      message: `redis-locks/keyed: ${operation} refused: "${resource}" is held with another value; nothing was changed.`,
      event: 'value_mismatch',
      operation,
      resource,
      value: fingerprint(value),
    });
  }
}

/** Creates a keyed lock strategy: caller-chosen owner values, one attempt by default, fencing tokens. */
export function createKeyedLock(options: KeyedLockOptions): KeyedLock {
  return new KeyedLock(options);
}
