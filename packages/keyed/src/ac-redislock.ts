/**
 * Drop-in replacement for ac-redislock (6.0.x): `require('ac-redislock')` →
 * `require('@redis-locks/keyed/ac-redislock')`. Same API, same key layout (the key verbatim, a plain string
 * value, `SET NX` with an expiry), but release is one atomic compare-and-delete script and no in-memory
 * fallback exists.
 */
import { randomUUID } from 'node:crypto';
import {
  closeOwnedClient,
  isIoredisClient,
  isNodeRedisClient,
  isRedisAdapter,
  type RedisAdapter,
  SingleKeyLockCommands,
  toAdapter,
} from '@redis-locks/core';
import { fingerprint } from './logger.js';

/** The error ac-redislock throws (ac-custom-error's shape): `message` is an identifier, `code` a number. */
class ACError extends Error {
  /** 423 for `resource_locked`, -1 for everything else. */
  readonly code: number;
  /** Same as `message`. */
  readonly errorMessage: string;
  /** Extra details, when there are any. */
  readonly additionalInfo?: Record<string, unknown>;

  constructor(message: string, code = -1, additionalInfo?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.errorMessage = message;
    if (additionalInfo !== undefined) this.additionalInfo = additionalInfo;
  }
}

/** Any object with a method named like `logLevel` (console, winston, pino, …). */
export type RedisLockLogger = object;

/** ioredis connection options (`{ host, port, password, … }`), used when `redis` is not a client. */
export interface IoredisConnectionOptions {
  readonly host?: string;
  readonly port?: number;
  readonly password?: string;
  readonly [option: string]: unknown;
}

/** Options of `init`. */
export interface RedisLockInitOptions {
  /**
   * Required. An ioredis or node-redis v4+ client (standalone or cluster), a `redis://` URL, or ioredis
   * options; for a URL or options an ioredis connection is opened (ioredis must be installed) and
   * `close()` ends it.
   */
  readonly redis: unknown;
  /** Receives value mismatches (at `logLevel`) and Redis errors (at `error`). Default `console`. */
  readonly logger?: RedisLockLogger;
  /** Name of the logger method used for mismatches. Default `'log'`. */
  readonly logLevel?: string;
  /** Default of `releaseLock`'s `suppressMismatch`: quietly ignore releases with the wrong value. Default false. */
  readonly suppressMismatch?: boolean;
  /** Accepted for compatibility and ignored: every `init` applies its options. */
  readonly reInit?: boolean;
}

/** Parameters of `lockKey`. */
export interface LockKeyParams {
  /** Required: the Redis key, used verbatim. */
  readonly redisKey: string;
  /** Lifetime in **seconds**. Default 10. */
  readonly expires?: number;
  /** The value stored in the key; whoever knows it can release the lock. Default `randomUUID()`. */
  readonly value?: string;
}

/** Parameters of `releaseLock`. */
export interface ReleaseLockParams {
  /** Required: the Redis key. */
  readonly redisKey: string;
  /**
   * The value `lockKey` resolved. Without it, the value this instance stored for the key with `lockKey`
   * is used; a lock this instance did not take is never deleted.
   */
  readonly value?: string;
  /** Return quietly instead of throwing `releaseLock_valueMismatch`. Default: the `init` option. */
  readonly suppressMismatch?: boolean;
}

/** Parameters of `getLock`. */
export interface GetLockParams {
  /** Required: the Redis key. */
  readonly redisKey: string;
  /** When given, throws `getLock_valueMismatch` unless the key holds exactly this value. */
  readonly value?: string;
}

/** One ac-redislock instance: the module's default export, or one made by `create()`. */
export interface RedisLock {
  /** Sets the connection, logger and defaults; checks the connection. */
  init(options: RedisLockInitOptions): Promise<void>;
  /** Takes the lock: resolves its value, or throws `resource_locked` (code 423) when the key is held. */
  lockKey(params: LockKeyParams): Promise<string>;
  /** Deletes the lock when it holds the value, atomically; otherwise throws `releaseLock_valueMismatch`. */
  releaseLock(params: ReleaseLockParams): Promise<void>;
  /** The stored value, or null; with `value`, throws `getLock_valueMismatch` unless the key holds it. */
  getLock(params: GetLockParams): Promise<string | null>;
  /** A new, independent instance (its own `init`). */
  create(): RedisLock;
  /** Ends the connection `init` opened from a URL or options (never a client you passed). */
  close(): Promise<void>;
}

interface State {
  readonly commands: SingleKeyLockCommands;
  /** Set when this layer opened the connection itself. */
  readonly shutdown: (() => Promise<void>) | undefined;
  readonly logger: Record<string, unknown>;
  readonly logLevel: string;
  /** True when `init` was given a logger (suppressed mismatches then go to its `debug`). */
  readonly customLogger: boolean;
  readonly suppressMismatch: boolean;
}

interface Held {
  readonly value: string;
  readonly expiresAt: number;
}

/** Records of held locks beyond this size trigger a sweep of the expired ones. */
const HELD_SWEEP_THRESHOLD = 10_000;

function isRedisClient(value: unknown): boolean {
  return isIoredisClient(value) || isNodeRedisClient(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function argError(message: string, Kind: typeof TypeError | typeof RangeError = TypeError): Error {
  return Object.assign(new Kind(message), {
    code: Kind === RangeError ? 'ERR_OUT_OF_RANGE' : 'ERR_INVALID_ARG_TYPE',
  });
}

/** `redisKey` as a string; a missing one throws `<operation>_redisKey_isRequired` like the original. */
function keyOf(redisKey: unknown, operation: string): string {
  if (redisKey === undefined || redisKey === null || redisKey === '') {
    throw new ACError(`${operation}_redisKey_isRequired`);
  }
  if (typeof redisKey === 'number' && Number.isFinite(redisKey)) return String(redisKey);
  if (typeof redisKey !== 'string') {
    throw argError(`${operation}: redisKey must be a string; received ${typeof redisKey}.`);
  }
  return redisKey;
}

/** A given owner value as a string, or undefined when absent (`undefined`, `null` or `''`, as the original's `if (value)`). */
function ownerValue(value: unknown, operation: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw argError(`${operation}: value must be a string; received ${typeof value}.`);
}

function expiresInMs(expires: unknown): number {
  const seconds = typeof expires === 'string' && expires.trim() !== '' ? Number(expires) : expires;
  const ms = typeof seconds === 'number' ? Math.round(seconds * 1000) : Number.NaN;
  if (!Number.isSafeInteger(ms) || ms < 1) {
    throw argError(
      `lockKey: expires must be a positive number of seconds; received ${typeof expires === 'number' || typeof expires === 'string' ? JSON.stringify(expires) : typeof expires}.`,
      typeof seconds === 'number' ? RangeError : TypeError,
    );
  }
  return ms;
}

async function openIoredis(
  target: string | Record<string, unknown>,
): Promise<{ client: unknown; quit: () => Promise<void> }> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import('ioredis')) as unknown as Record<string, unknown>;
  } catch (error) {
    throw Object.assign(
      new Error(
        'ac-redislock: init({ redis }) was given a URL or connection options, which needs the optional peer ' +
          'dependency ioredis. Install it (npm install ioredis), or pass an existing ioredis or node-redis client.',
        { cause: error },
      ),
      { code: 'ERR_MODULE_NOT_FOUND' },
    );
  }
  const Redis = (mod.Redis ??
    (mod.default as Record<string, unknown> | undefined)?.Redis ??
    mod.default) as new (
    arg: unknown,
  ) => {
    on(event: string, listener: () => void): unknown;
  };
  const client = new Redis(target);
  // Connection errors reach the caller through the failing command; an unhandled 'error' event would crash.
  client.on('error', () => undefined);
  return {
    client,
    // Bounded; a connection that is not up is dropped at once (QUIT would wait in its offline queue).
    quit: () => closeOwnedClient(client),
  };
}

/** Creates an independent ac-redislock instance. */
function create(): RedisLock {
  let state: State | undefined;
  /** Values this instance stored with lockKey, so a release without `value` releases only its own lock. */
  const held = new Map<string, Held>();

  const ready = (operation: string): State => {
    if (!state) {
      throw new ACError(`${operation}_notInitialized: call init({ redis }) before ${operation}()`);
    }
    return state;
  };

  /** Calls `logger[method](entry)`; a broken logger never breaks a lock operation. */
  const log = (current: State, method: string, level: string, entry: Record<string, unknown>): void => {
    const fn = current.logger[method];
    if (typeof fn !== 'function') return;
    try {
      // winston's `log(info)` reads the level from the entry; level-named methods (pino, winston, console) need none.
      fn.call(current.logger, method === 'log' ? { level, ...entry } : entry);
    } catch {
      // ignored on purpose
    }
  };

  const logError = (current: State, entry: Record<string, unknown>): void => {
    log(current, typeof current.logger.error === 'function' ? 'error' : current.logLevel, 'error', entry);
  };

  /** Runs Redis calls through the shared single-key scripts; a Redis error is logged, then rethrown. */
  const run = async <T>(
    current: State,
    operation: string,
    redisKey: string,
    call: (commands: SingleKeyLockCommands) => Promise<T>,
  ): Promise<T> => {
    try {
      return await call(current.commands);
    } catch (error) {
      logError(current, { message: 'redisError', operation, redisKey, error });
      throw error;
    }
  };

  /** A value mismatch: logged, then thrown unless suppressed. */
  const mismatch = (
    current: State,
    message: 'releaseLock_valueMismatch' | 'getLock_valueMismatch',
    redisKey: string,
    value: string | undefined,
    suppress: boolean,
    quietLog = suppress,
  ): void => {
    const entry = { message, redisKey, ...(value === undefined ? {} : { value: fingerprint(value) }) };
    if (quietLog) {
      if (current.customLogger) log(current, 'debug', 'debug', { ...entry, suppressed: true });
    } else {
      log(current, current.logLevel, 'warn', entry);
    }
    if (!suppress) throw new ACError(message);
  };

  const remember = (redisKey: string, value: string, ms: number): void => {
    const now = Date.now();
    if (held.size >= HELD_SWEEP_THRESHOLD) {
      for (const [key, record] of held) if (record.expiresAt <= now) held.delete(key);
    }
    held.set(redisKey, { value, expiresAt: now + ms });
  };

  const forget = (redisKey: string, value: string): void => {
    if (held.get(redisKey)?.value === value) held.delete(redisKey);
  };

  const instance: RedisLock = {
    async init(options) {
      const opts = (options ?? {}) as Partial<RedisLockInitOptions>;
      const { redis, logger = console, logLevel = 'log', suppressMismatch = false } = opts;
      if (redis === undefined || redis === null || redis === '') {
        throw new ACError(
          'init_redis_isRequired: pass redis as an ioredis or node-redis client, a redis:// URL or ioredis ' +
            'options. ac-redislock fell back to an in-memory cache here; this drop-in does not.',
        );
      }
      if (typeof logLevel !== 'string' || logLevel === '') {
        throw argError(`init: logLevel must be the name of a logger method; received ${typeof logLevel}.`);
      }
      if (typeof logger !== 'object' || logger === null) {
        throw argError(
          `init: logger must be a logger object (console, winston, pino); received ${logger === null ? 'null' : typeof logger}.`,
        );
      }
      if (typeof (logger as Record<string, unknown>)[logLevel] !== 'function') {
        throw argError(
          `init: logger has no method "${logLevel}" (logLevel); pass a logLevel your logger has, e.g. 'warn'.`,
        );
      }
      if (typeof suppressMismatch !== 'boolean') {
        throw argError(`init: suppressMismatch must be a boolean; received ${typeof suppressMismatch}.`);
      }

      let adapter: RedisAdapter;
      let shutdown: (() => Promise<void>) | undefined;
      if (isRedisAdapter(redis)) {
        // Yours: never closed by us.
        adapter = redis;
        shutdown = undefined;
      } else if (isRedisClient(redis)) {
        adapter = toAdapter(redis, 'redis');
        // The adapter opens nothing here (no subscriptions); closing it never touches your client.
        shutdown = () => adapter.close();
      } else if (typeof redis === 'string' || isPlainObject(redis)) {
        const opened = await openIoredis(redis as string | Record<string, unknown>);
        adapter = toAdapter(opened.client, 'redis');
        shutdown = async () => {
          await adapter.close();
          await opened.quit();
        };
      } else {
        throw argError(
          'init: redis must be an ioredis or node-redis v4+ client (standalone or cluster), a redis:// URL, or ' +
            `ioredis connection options; received ${Array.isArray(redis) ? 'an array' : typeof redis}.`,
        );
      }

      const next: State = {
        commands: new SingleKeyLockCommands(adapter),
        shutdown,
        logger: logger as Record<string, unknown>,
        logLevel,
        customLogger: opts.logger !== undefined,
        suppressMismatch,
      };
      // Like the original's test write, but read-only: PTTL of a random key creates nothing.
      try {
        await next.commands.inspect({ lock: `ac-redislock:init:${randomUUID()}` });
      } catch (error) {
        logError(next, { message: 'cannotConnectToRedis', error });
        await shutdown?.().catch(() => undefined);
        throw error;
      }
      const previous = state;
      state = next;
      if (previous?.shutdown) await previous.shutdown().catch(() => undefined);
    },

    async lockKey(params) {
      const { redisKey: rawKey, expires = 10, value: rawValue } = (params ?? {}) as Partial<LockKeyParams>;
      const redisKey = keyOf(rawKey, 'lockKey');
      const ms = expiresInMs(expires);
      const given = ownerValue(rawValue, 'lockKey');
      const value = given ?? randomUUID();
      const current = ready('lockKey');
      const { acquired } = await run(current, 'lockKey', redisKey, (c) =>
        c.acquire({ lock: redisKey }, value, ms, false),
      );
      if (!acquired) throw new ACError('resource_locked', 423);
      remember(redisKey, value, ms);
      // The original resolves the value it was given (numbers stay numbers).
      return (given === undefined ? value : rawValue) as string;
    },

    async releaseLock(params) {
      const p = (params ?? {}) as Partial<ReleaseLockParams>;
      const redisKey = keyOf(p.redisKey, 'releaseLock');
      const given = ownerValue(p.value, 'releaseLock');
      const current = ready('releaseLock');
      const suppress =
        p.suppressMismatch === undefined ? current.suppressMismatch : p.suppressMismatch === true;
      const value = given ?? held.get(redisKey)?.value;
      if (value === undefined) {
        // No value and none remembered: the original deleted whatever was there. Only a free key is "released".
        const { pttl } = await run(current, 'releaseLock', redisKey, (c) => c.inspect({ lock: redisKey }));
        if (pttl !== -2) mismatch(current, 'releaseLock_valueMismatch', redisKey, undefined, suppress);
        return;
      }
      const result = await run(current, 'releaseLock', redisKey, (c) => c.release(redisKey, value));
      forget(redisKey, value);
      if (result === 'released') return;
      // Without a value the original ignored a missing key; with one, a missing key is a mismatch.
      if (result === 'expired' && given === undefined) return;
      mismatch(current, 'releaseLock_valueMismatch', redisKey, value, suppress);
    },

    async getLock(params) {
      const p = (params ?? {}) as Partial<GetLockParams>;
      const redisKey = keyOf(p.redisKey, 'getLock');
      const given = ownerValue(p.value, 'getLock');
      const current = ready('getLock');
      if (given !== undefined) {
        // Compared inside Redis, so the stored value is not even read back.
        const { matches } = await run(current, 'getLock', redisKey, (c) =>
          c.inspect({ lock: redisKey }, given),
        );
        if (!matches)
          mismatch(current, 'getLock_valueMismatch', redisKey, given, false, current.suppressMismatch);
        return given;
      }
      return run(current, 'getLock', redisKey, (c) => c.get(redisKey));
    },

    create,

    async close() {
      const current = state;
      state = undefined;
      held.clear();
      if (current?.shutdown) await current.shutdown();
    },
  };
  return instance;
}

/** The module's singleton, like `require('ac-redislock')`. */
const redisLock: RedisLock = create();

export type { ACError };
export default redisLock;
