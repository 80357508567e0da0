import { AssertionError } from 'node:assert';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  closeOwnedClient,
  createToken,
  isIoredisClient,
  isNodeRedisClient,
  isRedisAdapter,
  LockClosedError,
  type RedisAdapter,
  toAdapter,
  toInteger,
  type Unsubscribe,
} from '@redis-locks/core';
import { redfourAcquire, redfourExtend, redfourRelease } from '@redis-locks/scripts';

/** Node-style callback of every drop-in method. */
export type Callback<T> = (err: Error | null, result?: T) => void;

/** What `acquireLock` and `waitAcquireLock` resolve with. */
export interface AcquireResult {
  /** The id passed in. */
  readonly id: unknown;
  /** True when the lock was acquired. */
  readonly success: boolean;
  /** On success the namespace counter's new value (this lock's index); -1 otherwise. */
  readonly index: number;
  /** On success the requested ttl; when held, the holder's remaining PTTL; 0 after a replication failure. */
  readonly ttl: number;
  /** `waitAcquireLock` only: true when the lock was acquired on the first try. */
  readonly immediate?: boolean;
  /** Present (true) when the lock was rolled back because too few replicas acknowledged it. */
  readonly replicationFailure?: boolean;
  /** The owner token checked by release/extend (non-enumerable, so the result keeps the original's shape). */
  readonly token?: string;
}

/** What `releaseLock` resolves with. */
export interface ReleaseResult {
  /** The lock's id. */
  readonly id: unknown;
  /** True when released or already expired. */
  readonly success: boolean;
  /** `'released'`, `'expired'` (the key was gone) or `'conflict'` (another owner holds it). */
  readonly result: 'released' | 'expired' | 'conflict';
  /** The released lock's index; for `'expired'` 0 (ioredfour) or `'expired'` (redfour); -1 on conflict. */
  readonly index: number | 'expired';
}

/** What `extendLock` resolves with. */
export interface ExtendResult {
  /** The lock's id. */
  readonly id: unknown;
  /** True when the ttl was set. */
  readonly success: boolean;
  /** The lock's index on success; -1 otherwise. */
  readonly index: number;
  /** The new ttl on success; 0 otherwise. */
  readonly ttl: number;
}

/** What `renewLock` resolves with (redfour 2.x). */
export interface RenewResult {
  /** The lock's id. */
  readonly id: unknown;
  /** True when renewed. */
  readonly success: boolean;
  /** `'renewed'`, `'missing'` (expired) or `'conflict'` (another owner holds it). */
  readonly result: 'renewed' | 'missing' | 'conflict';
  /** The lock's index when renewed; -1 otherwise. */
  readonly index: number;
}

/** A lock as returned by acquire: `id`, `index` and (non-enumerable) `token` are what release/extend read. */
export interface LockLike {
  /** The lock's id. */
  readonly id: unknown;
  /** The index it was granted. */
  readonly index: number;
  /** The owner token; absent on locks taken by the original library (then the index alone is compared). */
  readonly token?: string;
}

/** Constructor options of the redfour and ioredfour drop-ins. */
export interface RedfourOptions {
  /** A redis URL, ioredis options, or an existing ioredis / node-redis (v4+) client or cluster client. */
  readonly redis?: unknown;
  /** Alias of `redis`; wins when both are given. */
  readonly redisConnection?: unknown;
  /** Key prefix. Default `'lock'`. */
  readonly namespace?: string;
  /** Replicas that must acknowledge an acquire (WAIT); default 0 (no check). */
  readonly minReplications?: number;
  /** Budget for replication in ms, a positive integer; default 500. */
  readonly replicationTimeout?: number;
  /** Cluster mode: `true` (with `redis` a nodes array), a nodes array, or `{ nodes, options }`. */
  readonly cluster?:
    | boolean
    | readonly unknown[]
    | { nodes?: unknown[]; startupNodes?: unknown[]; options?: object };
  /** ioredis Cluster options used with `cluster: true | nodes[]`. */
  readonly clusterOptions?: object;
  /** Longest sleep of a waiter between checks when no release message arrives, in ms. Default 1000. */
  readonly fallbackInterval?: number;
}

/** The differences between the two originals' results. */
export interface Flavor {
  /** `index` of a release that found the key gone. */
  readonly expiredIndex: 0 | 'expired';
}

const RETRY_DELAY = 50;
const noop = () => undefined;

type IoredisModule = {
  Redis: new (...args: unknown[]) => unknown;
  Cluster: new (...args: unknown[]) => unknown;
};

function loadIoredis(): IoredisModule {
  const require = createRequire(import.meta.url);
  try {
    return require('ioredis') as IoredisModule;
  } catch (error) {
    throw Object.assign(
      new Error(
        'Connecting from a URL or options object needs the ioredis package: npm install ioredis (or pass a connected client).',
      ),
      { cause: error },
    );
  }
}

function setHidden<T extends object>(target: T, key: string, value: unknown): T {
  Object.defineProperty(target, key, { value, enumerable: false, writable: false, configurable: true });
  return target;
}

/** Calls `cb` (outside the promise chain, like util.callbackify) or returns the promise. */
function deliver<T>(promise: Promise<T>, cb: unknown): Promise<T> | undefined {
  if (typeof cb !== 'function') return promise;
  promise.then(
    (result) => process.nextTick(cb as Callback<T>, null, result),
    (error: Error) => process.nextTick(cb as Callback<T>, error),
  );
  return undefined;
}

/**
 * The shared implementation of the redfour and ioredfour drop-ins: the originals' API, results and Redis
 * layout, plus an owner token next to the index, awaited subscriptions, per-key wake-ups, a bounded
 * fallback re-check, WAIT on a dedicated connection, and `close()`.
 */
export class RedfourBase {
  private readonly namespace: string;
  private readonly adapter: RedisAdapter;
  /** False when the caller passed a RedisAdapter: then close() leaves it open. */
  private readonly ownsAdapter: boolean;
  private readonly owned: unknown[] = [];
  private readonly clusterMode: boolean;
  private readonly hashTag: string;
  private readonly channel: string;
  private readonly minReplications: number;
  private readonly replicationTimeout: number;
  private readonly fallbackInterval: number;
  private readonly flavor: Flavor;
  private readonly waiters = new Map<string, Set<() => void>>();
  private subscription: Promise<Unsubscribe> | undefined;
  private closed = false;

  constructor(options: RedfourOptions | undefined, flavor: Flavor) {
    const opts = (options ?? {}) as RedfourOptions;
    this.flavor = flavor;
    const redis = opts.redisConnection ?? opts.redis;
    if (!redis && !opts.cluster) {
      throw new AssertionError({
        message:
          'Must provide a Redis connection string, options object, or client instance (`redis`, `redisConnection`, or `cluster`).',
      });
    }
    this.namespace = opts.namespace || 'lock';
    if (typeof this.namespace !== 'string') throw new TypeError('options.namespace must be a string.');
    this.minReplications = opts.minReplications ?? 0;
    if (!Number.isSafeInteger(this.minReplications) || this.minReplications < 0) {
      throw new RangeError(
        `options.minReplications must be a non-negative integer; received ${String(opts.minReplications)}.`,
      );
    }
    this.replicationTimeout = opts.replicationTimeout ?? 500;
    if (!Number.isSafeInteger(this.replicationTimeout) || this.replicationTimeout < 1) {
      throw new RangeError(
        `options.replicationTimeout must be a positive integer of ms (WAIT 0 would block forever); received ${String(
          opts.replicationTimeout,
        )}.`,
      );
    }
    this.fallbackInterval = opts.fallbackInterval ?? 1000;
    if (!Number.isSafeInteger(this.fallbackInterval) || this.fallbackInterval < 1) {
      throw new RangeError('options.fallbackInterval must be a positive integer of ms.');
    }

    let client: unknown;
    if (isIoredisClient(redis) || isNodeRedisClient(redis) || isRedisAdapter(redis)) {
      client = redis;
    } else if (opts.cluster) {
      const { nodes, clusterOptions } = resolveCluster(opts, redis);
      const { Cluster } = loadIoredis();
      client = new Cluster(nodes, { ...clusterOptions, shardedSubscribers: true });
      this.owned.push(client);
    } else if (typeof redis === 'string' || (typeof redis === 'object' && redis !== null)) {
      if (
        typeof redis === 'object' &&
        (typeof (redis as { duplicate?: unknown }).duplicate === 'function' || 'address' in redis)
      ) {
        throw new TypeError(
          'options.redis looks like a client this drop-in does not support (node_redis 2/3): pass an ioredis or node-redis v4+ client, a URL, or ioredis options.',
        );
      }
      const { Redis } = loadIoredis();
      client = new Redis(redis);
      this.owned.push(client);
    } else {
      throw new TypeError('options.redis must be a URL, an options object, or a client.');
    }
    for (const c of this.owned) (c as { on(e: string, f: () => void): void }).on('error', noop);
    this.adapter = toAdapter(client, 'options.redis');
    this.ownsAdapter = !isRedisAdapter(client);
    this.clusterMode = Boolean(opts.cluster) || this.adapter.isCluster;
    this.hashTag = `{ior4_${createHash('sha256').update(this.namespace).digest('hex').slice(-12)}}`;
    this.channel = this.clusterMode
      ? `${this.namespace}:${this.hashTag}-release`
      : `${this.namespace}-release`;
    if (this.minReplications > 0 && typeof this.adapter.evalScriptAndWait !== 'function') {
      throw new TypeError('minReplications needs a client adapter that supports WAIT-guarded writes.');
    }
  }

  /** Tries once; resolves `{ id, success, index, ttl }` (`index: -1` and the holder's PTTL when held). */
  acquireLock(id: unknown, ttl: number, cb?: Callback<AcquireResult>): Promise<AcquireResult> {
    return deliver(this.acquireOnce(id, ttl), cb) as Promise<AcquireResult>;
  }

  /** Releases a lock this owner holds; resolves `{ id, success, result, index }`. */
  releaseLock(lock: LockLike, cb?: Callback<ReleaseResult>): Promise<ReleaseResult> {
    return deliver(this.release(lock), cb) as Promise<ReleaseResult>;
  }

  /** Sets a held lock's ttl to `ttl` from now; resolves `{ id, success, index, ttl }`. */
  extendLock(lock: LockLike, ttl: number, cb?: Callback<ExtendResult>): Promise<ExtendResult> {
    const run = async (): Promise<ExtendResult> => {
      const reply = await this.extendScript(lock, ttl);
      return reply === 1
        ? { id: lock.id, success: true, index: lock.index, ttl }
        : { id: lock.id, success: false, index: -1, ttl: 0 };
    };
    return deliver(run(), cb) as Promise<ExtendResult>;
  }

  /** Sets a held lock's ttl to `ttl` from now; resolves `{ id, success, result: 'renewed'|'missing'|'conflict', index }`. */
  renewLock(lock: LockLike, ttl: number, cb?: Callback<RenewResult>): Promise<RenewResult> {
    const run = async (): Promise<RenewResult> => {
      const reply = await this.extendScript(lock, ttl);
      if (reply === 1) return { id: lock.id, success: true, result: 'renewed', index: lock.index };
      return { id: lock.id, success: false, result: reply === 0 ? 'missing' : 'conflict', index: -1 };
    };
    return deliver(run(), cb) as Promise<RenewResult>;
  }

  /**
   * Waits up to `waitTtl` ms (`<= 0`: forever) for the lock, woken by release messages and re-checking at
   * least every `fallbackInterval`; when the window ends it makes one last attempt and resolves that
   * result (`success: false` when still held). `immediate` tells whether the first try succeeded.
   */
  waitAcquireLock(
    id: unknown,
    lockTtl: number,
    waitTtl: number,
    cb?: Callback<AcquireResult>,
  ): Promise<AcquireResult> {
    return deliver(this.waitAcquire(id, lockTtl, waitTtl), cb) as Promise<AcquireResult>;
  }

  /** Ends the subscription and the connections this instance opened (never a client it was given). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const set of this.waiters.values()) for (const wake of set) wake();
    this.waiters.clear();
    const subscription = this.subscription;
    this.subscription = undefined;
    if (this.ownsAdapter) {
      // Ending our subscriber connection ends the subscription too, also one still waiting for a server that
      // is down (awaiting it first would wait for that server).
      await this.adapter.close();
    } else if (subscription) {
      await (await subscription.catch(() => undefined))?.();
    }
    // Bounded, and at once while the server is down, where QUIT would wait for it.
    await Promise.all(this.owned.map(closeOwnedClient));
  }

  /** Alias of {@link close}. */
  quit(): Promise<void> {
    return this.close();
  }

  private lockKey(id: unknown): string {
    return this.clusterMode ? `${this.namespace}:${this.hashTag}:${id}` : `${this.namespace}:${id}`;
  }

  private counterKey(): string {
    return this.clusterMode ? `${this.namespace}:${this.hashTag}:index` : `${this.namespace}index`;
  }

  private assertOpen(): void {
    if (this.closed) throw new LockClosedError();
  }

  private result(id: unknown, reply: unknown[], token: string, extra: object = {}): AcquireResult {
    const success = toInteger(reply[0]) === 1;
    const result = { id, success, index: toInteger(reply[1]), ttl: toInteger(reply[2]), ...extra };
    return success ? setHidden(result, 'token', token) : result;
  }

  private async acquireOnce(id: unknown, ttl: number): Promise<AcquireResult> {
    this.assertOpen();
    if (this.minReplications > 0 && ttl < this.replicationTimeout * 1.5) {
      throw new RangeError(
        `Lock TTL (${ttl}ms) must be at least 1.5x replicationTimeout (${this.replicationTimeout}ms). Minimum TTL: ${Math.ceil(
          this.replicationTimeout * 1.5,
        )}ms`,
      );
    }
    const keys = [this.lockKey(id), this.counterKey()];
    const token = createToken();
    if (this.minReplications === 0) {
      return this.result(
        id,
        (await this.adapter.evalScript(redfourAcquire, keys, [ttl, token])) as unknown[],
        token,
      );
    }
    const deadline = Date.now() + this.replicationTimeout;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return { id, success: false, replicationFailure: true, index: -1, ttl: 0 };
      const { reply, acknowledged } = await this.adapter.evalScriptAndWait!(
        redfourAcquire,
        keys,
        [ttl, token],
        {
          replicas: this.minReplications,
          timeout: Math.min(Math.max(remaining, 1), Math.ceil(this.replicationTimeout / 3)),
          shouldWait: (r) => toInteger((r as unknown[])[0]) === 1,
        },
      );
      const acquired = this.result(id, reply as unknown[], token);
      if (!acquired.success) return acquired;
      if ((acknowledged ?? 0) >= this.minReplications) {
        // WAIT took time: the ttl starts again now.
        const extended = await this.extendScript({ id, index: acquired.index, token }, ttl);
        return extended === 1 ? acquired : { id, success: false, index: -1, ttl: 0 };
      }
      // Too few replicas: roll back (compare-and-delete on index and token), then retry within the budget.
      await this.release({ id, index: acquired.index, token }).catch(noop);
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY));
    }
  }

  private async release(lock: LockLike): Promise<ReleaseResult> {
    this.assertOpen();
    const reply = toInteger(
      await this.adapter.evalScript(
        redfourRelease,
        [this.lockKey(lock.id)],
        [lock.index, lock.token ?? '', this.channel, this.clusterMode ? 'spublish' : 'publish'],
      ),
    );
    if (reply === 1) return { id: lock.id, success: true, result: 'released', index: lock.index };
    if (reply === 0)
      return { id: lock.id, success: true, result: 'expired', index: this.flavor.expiredIndex };
    return { id: lock.id, success: false, result: 'conflict', index: -1 };
  }

  private async extendScript(lock: LockLike, ttl: number): Promise<number> {
    this.assertOpen();
    return toInteger(
      await this.adapter.evalScript(
        redfourExtend,
        [this.lockKey(lock.id)],
        [lock.index, lock.token ?? '', ttl],
      ),
    );
  }

  /** Subscribes once (awaited) to the release channel; messages wake only the waiters of that lock key. */
  private subscribe(): Promise<Unsubscribe> {
    if (!this.subscription) {
      const pending = this.adapter.subscribe(
        this.channel,
        (message) => {
          const set = this.waiters.get(message);
          if (set) for (const wake of [...set]) wake();
        },
        { sharded: this.clusterMode },
      );
      this.subscription = pending;
      pending.catch(() => {
        if (this.subscription === pending) this.subscription = undefined;
      });
    }
    return this.subscription;
  }

  private async waitAcquire(id: unknown, lockTtl: number, waitTtl: number): Promise<AcquireResult> {
    this.assertOpen();
    const forever = !(waitTtl > 0);
    const deadline = Date.now() + (forever ? 0 : waitTtl);
    const key = this.lockKey(id);
    let notified = false;
    let wake: (() => void) | undefined;
    const listener = () => {
      notified = true;
      wake?.();
    };
    let set = this.waiters.get(key);
    if (!set) {
      set = new Set();
      this.waiters.set(key, set);
    }
    set.add(listener);
    try {
      // Listening before the first attempt: a release published after it is never missed.
      await this.subscribe();
      for (let attempt = 1; ; attempt++) {
        notified = false;
        const result = await this.acquireOnce(id, lockTtl);
        if (result.success) return setHidden({ ...result, immediate: attempt === 1 }, 'token', result.token);
        const remaining = deadline - Date.now();
        if (!forever && remaining <= 0) return { ...result, immediate: false };
        let delay = this.fallbackInterval;
        if (result.ttl > 0) delay = Math.min(delay, result.ttl + 10);
        if (!forever) delay = Math.min(delay, remaining);
        if (!notified) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, delay);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
        }
        this.assertOpen();
      }
    } finally {
      set.delete(listener);
      if (set.size === 0 && this.waiters.get(key) === set) this.waiters.delete(key);
    }
  }
}

function resolveCluster(opts: RedfourOptions, redis: unknown): { nodes: unknown[]; clusterOptions: object } {
  const cluster = opts.cluster;
  if (Array.isArray(cluster)) return { nodes: [...cluster], clusterOptions: opts.clusterOptions ?? {} };
  if (cluster === true) {
    if (!Array.isArray(redis)) {
      throw new AssertionError({
        message: 'When cluster=true, provide startup nodes array as `redis` or `redisConnection`.',
      });
    }
    return { nodes: redis, clusterOptions: opts.clusterOptions ?? {} };
  }
  if (typeof cluster === 'object' && cluster !== null) {
    const c = cluster as { nodes?: unknown[]; startupNodes?: unknown[]; options?: object };
    const nodes = c.nodes ?? c.startupNodes;
    if (!Array.isArray(nodes)) {
      throw new AssertionError({ message: 'Cluster configuration object must include a nodes array.' });
    }
    return { nodes, clusterOptions: c.options ?? {} };
  }
  throw new TypeError('Invalid cluster configuration.');
}
