import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { type RedisAdapter, toAdapter } from '@redis-locks/core';
import { type LuaScript, lockAcquire, lockExtend, lockRelease } from '@redis-locks/scripts';
import { atLeast, majority, type Round, runRound } from './quorum.js';

/** A custom script: Lua source, or a function that receives the default source and returns the Lua to run. */
export type RedlockAsyncScript = string | ((defaultScript: string) => string);

/** Options of the redlock-async constructor; each numeric option is taken only when it is a number. */
export interface RedlockAsyncOptions {
  /** Expected clock drift as a fraction of the ttl. Default 0.01. */
  driftFactor?: number;
  /** Retries after the first attempt; -1 retries forever. Default 10. */
  retryCount?: number;
  /** Time between attempts in ms. Default 200. */
  retryDelay?: number;
  /** Up to this many ms are randomly added to or taken from each delay. Default 100. */
  retryJitter?: number;
  /** Longest wait for one node's answer in ms (never more than the ttl for lock and extend). Default 1000. */
  requestTimeout?: number;
  /** Custom lock script (KEYS[1] resource, ARGV value, ttl); a truthy reply (`'OK'`, 1, {1, …}) is a vote. */
  lockScript?: RedlockAsyncScript;
  /** Custom unlock script (KEYS[1] resource, ARGV value); a 0 or 1 reply (also -1: held by another) is a vote. */
  unlockScript?: RedlockAsyncScript;
  /** Custom extend script (KEYS[1] resource, ARGV value, ttl); a reply of 1 (or 'OK') is a vote. */
  extendScript?: RedlockAsyncScript;
}

const DEFAULTS = {
  driftFactor: 0.01,
  retryCount: 10,
  retryDelay: 200,
  retryJitter: 100,
  requestTimeout: 1000,
};

/** The error redlock-async rejects with; `attempts` says how many lock attempts were made. */
class LockError extends Error {
  /** Lock attempts made (undefined for unlock failures, as in redlock-async). */
  attempts: number | undefined;
  constructor(message?: string, attempts?: number) {
    super(message || 'Failed to lock the resource.');
    this.name = 'LockError';
    this.attempts = attempts;
  }
}

/** A lock held on a quorum of nodes: `value` is its owner token, `expiration` a Date.now() deadline. */
class Lock {
  /** The Redlock that created this lock. */
  redlock: Redlock;
  /** The locked resource (the Redis key, used verbatim). */
  resource: string;
  /** Owner token: 16 random bytes, hex. */
  value: string;
  /** Date.now()-based time at which the lock stops being valid (0 once unlocked). */
  expiration: number;
  /** Attempts the acquisition took. */
  attempts: number;
  constructor(redlock: Redlock, resource: string, value: string, expiration: number, attempts: number) {
    this.redlock = redlock;
    this.resource = resource;
    this.value = value;
    this.expiration = expiration;
    this.attempts = attempts;
  }

  /** Releases this lock (see `Redlock#unlock`). */
  unlock(): Promise<void> {
    return this.redlock.unlock(this);
  }

  /** Extends this lock to `ttl` ms from now and resolves this same object (see `Redlock#extend`). */
  extend(ttl: number): Promise<Lock> {
    return this.redlock.extend(this, ttl);
  }
}

/** A user-supplied Lua string as a script the adapters can run (EVAL first, then EVALSHA). */
function userScript(name: string, source: string): LuaScript {
  return {
    name,
    description: 'user-supplied script',
    source,
    sha1: createHash('sha1').update(source).digest('hex'),
    keys: ['resource'],
    args: [],
    returns: '',
  };
}

function pickScript(name: string, option: unknown, fallback: LuaScript): { script: LuaScript } {
  if (typeof option === 'function') return { script: userScript(name, String(option(fallback.source))) };
  if (typeof option === 'string') return { script: userScript(name, option) };
  return { script: fallback };
}

/** A lock or extend vote: 'OK', a positive integer, or an array starting with 1. */
function isGranted(reply: unknown): boolean {
  if (Array.isArray(reply)) return reply.length > 0 && Number(reply[0]) === 1;
  if (reply === 'OK') return true;
  const n = Number(reply);
  return Number.isFinite(n) && n > 0 && reply !== null && reply !== '';
}

/** An unlock vote: 1 released, 0 already gone, -1 held by another owner (nothing of ours left). */
function isUnlocked(reply: unknown): boolean {
  if (reply === null || reply === undefined || reply === '') return false;
  const n = Number(reply);
  return n === 0 || n === 1 || n === -1;
}

async function quitClient(client: unknown): Promise<unknown> {
  const c = client as { quit?: () => Promise<unknown>; close?: () => Promise<unknown>; status?: string };
  // ioredis: quit(); node-redis v5: close() (quit() is deprecated there); node-redis v4: quit().
  if (typeof c.status === 'string') return c.quit?.();
  if (typeof c.close === 'function') return c.close();
  return c.quit?.();
}

/**
 * Drop-in replacement for redlock-async 3.1.2-fix.2 (node-redlock v3 algorithm, promise API), on the same
 * keys (the resource, verbatim) and values, so both exclude each other during a rolling migration.
 */
class Redlock extends EventEmitter {
  /** The error class locks reject with. */
  static LockError = LockError;
  /** The lock class, for `instanceof`. */
  static Lock = Lock;

  /** Expected clock drift factor. */
  driftFactor: number;
  /** Retries after the first attempt; -1 = forever. */
  retryCount: number;
  /** Delay between attempts, ms. */
  retryDelay: number;
  /** Random ± jitter of each delay, ms. */
  retryJitter: number;
  /** Per-node request timeout, ms. */
  requestTimeout: number;
  /** The Lua source of the lock script in use. */
  lockScript: string;
  /** The Lua source of the unlock script in use. */
  unlockScript: string;
  /** The Lua source of the extend script in use. */
  extendScript: string;
  /** The clients, one per independent node. */
  servers: unknown[];

  readonly #adapters: RedisAdapter[];
  readonly #lock: LuaScript;
  readonly #unlock: LuaScript;
  readonly #extend: LuaScript;

  constructor(clients: unknown[], options?: RedlockAsyncOptions) {
    super();
    const opts = (options || {}) as Record<string, unknown>;
    const num = (name: keyof typeof DEFAULTS): number =>
      typeof opts[name] === 'number' ? (opts[name] as number) : DEFAULTS[name];
    this.driftFactor = num('driftFactor');
    this.retryCount = num('retryCount');
    this.retryDelay = num('retryDelay');
    this.retryJitter = num('retryJitter');
    this.requestTimeout = num('requestTimeout');
    const lock = pickScript('redlock_async_lock', opts.lockScript, lockAcquire);
    const unlock = pickScript('redlock_async_unlock', opts.unlockScript, lockRelease);
    this.#unlock = unlock.script;
    const extend = pickScript('redlock_async_extend', opts.extendScript, lockExtend);
    this.#lock = lock.script;
    this.#extend = extend.script;
    this.lockScript = lock.script.source;
    this.unlockScript = unlock.script.source;
    this.extendScript = extend.script.source;

    if (!Array.isArray(clients) || clients.length === 0)
      throw new Error('Redlock must be instantiated with at least one redis server.');
    this.servers = clients;
    this.#adapters = clients.map((client, i) => toAdapter(client, `clients[${i}]`));
  }

  /** Locks `resource` for `ttl` ms on a quorum of nodes, retrying `retryCount` times. */
  lock(resource: string, ttl: number): Promise<Lock> {
    return this.#acquire(resource, ttl);
  }

  /** Alias of `lock`. */
  acquire(resource: string, ttl: number): Promise<Lock> {
    return this.#acquire(resource, ttl);
  }

  /** Releases `lock` on every node; rejects only if a quorum could not be reached. */
  unlock(lock: Lock): Promise<void> {
    return this.#release(lock);
  }

  /** Alias of `unlock`. */
  release(lock: Lock): Promise<void> {
    return this.#release(lock);
  }

  /**
   * Extends `lock` to `ttl` ms from now on a quorum of nodes and resolves the same Lock object with a new
   * `expiration`. A failed extension never deletes the lock where it is still held.
   */
  async extend(lock: Lock, ttl: number): Promise<Lock> {
    if (lock.expiration < Date.now()) {
      throw new LockError(
        `Cannot extend lock on resource "${lock.resource}" because the lock has already expired.`,
        0,
      );
    }
    let attempts = 0;
    for (;;) {
      attempts++;
      const start = Date.now();
      const round = await this.#round(this.#extend, lock.resource, [lock.value, ttl], isGranted, ttl, true);
      const expiration = start + ttl - this.#drift(ttl);
      if (round.tally.for >= this.#quorum && expiration > Date.now()) {
        lock.expiration = expiration;
        return lock;
      }
      // When even the failing nodes could not have made a quorum, the nodes that answered no longer hold our
      // value: the lock is gone and retrying cannot bring it back.
      const lost = round.tally.for + round.tally.failed < this.#quorum || lock.expiration < Date.now();
      if (lost) {
        throw new LockError(
          `Cannot extend lock on resource "${lock.resource}" because the lock has already expired.`,
          attempts,
        );
      }
      if (!(await this.#retry(attempts))) {
        throw new LockError(
          `Exceeded ${this.retryCount} attempts to lock the resource "${lock.resource}".`,
          attempts,
        );
      }
    }
  }

  /** Quits every client given to the constructor and resolves their replies. */
  async quit(): Promise<unknown[]> {
    await Promise.allSettled(
      this.#adapters.map((adapter, i) => (adapter === this.servers[i] ? 0 : adapter.close())),
    );
    return Promise.all(this.servers.map((client) => quitClient(client)));
  }

  get #quorum(): number {
    return majority(this.#adapters.length);
  }

  #drift(ttl: number): number {
    // 2 ms for Redis's 1 ms expiry precision, plus the configured drift.
    return Math.round(this.driftFactor * ttl) + 2;
  }

  /** Sleeps before the next attempt; false when no attempt is left. */
  async #retry(attempts: number): Promise<boolean> {
    if (this.retryCount !== -1 && attempts > this.retryCount) return false;
    const delay = Math.max(0, this.retryDelay + Math.floor((Math.random() * 2 - 1) * this.retryJitter));
    await new Promise<void>((resolve) => setTimeout(resolve, delay));
    return true;
  }

  async #acquire(resource: string, ttl: number): Promise<Lock> {
    const value = randomBytes(16).toString('hex');
    let attempts = 0;
    for (;;) {
      attempts++;
      const start = Date.now();
      const round = await this.#round(this.#lock, resource, [value, ttl], isGranted, ttl, true);
      const lock = new Lock(this, resource, value, start + ttl - this.#drift(ttl), attempts);
      // The lock counts only when a quorum voted for it and it is still valid once the votes are in.
      if (round.tally.for >= this.#quorum && lock.expiration > Date.now()) return lock;
      // Remove the partial keys on every node before retrying; a failed cleanup is reported as clientError
      // and the keys expire with the ttl.
      await this.#removePartialKeys(lock, round);
      if (!(await this.#retry(attempts))) {
        throw new LockError(
          `Exceeded ${this.retryCount} attempts to lock the resource "${resource}".`,
          attempts,
        );
      }
    }
  }

  async #release(lock: Lock): Promise<void> {
    lock.expiration = 0;
    const round = await this.#round(
      this.#unlock,
      lock.resource,
      [lock.value],
      isUnlocked,
      this.requestTimeout,
      false,
    );
    if (round.tally.for >= this.#quorum) return;
    throw new LockError(`Unable to fully release the lock on resource "${lock.resource}".`);
  }

  /**
   * Unlocks a lost attempt on every node, waiting (up to the request timeout) only for the nodes that may
   * hold its value: those that voted for it or had not answered. The others' unlock still goes out, queued
   * behind the lock request on the same connection.
   */
  async #removePartialKeys(lock: Lock, round: Round<unknown>): Promise<void> {
    const mayHold = new Set([
      ...round.unanswered,
      ...round.votes.filter((v) => v.vote === 'for').map((v) => v.node),
    ]);
    const removals = this.#adapters.map((adapter) =>
      adapter.evalScript(this.#unlock, [lock.resource], [lock.value]).then(
        () => true,
        (error: unknown) => {
          this.emit('clientError', error);
          return false;
        },
      ),
    );
    await atLeast(
      removals.filter((_, i) => mayHold.has(i)),
      mayHold.size,
      this.requestTimeout,
    );
  }

  /** One request to every node; emits `clientError` once per failing node. */
  async #round(
    script: LuaScript,
    resource: string,
    args: (string | number)[],
    accept: (reply: unknown) => boolean,
    ttl: number,
    early: boolean,
  ): Promise<Round<unknown>> {
    const q = this.#quorum;
    const round = await runRound<unknown>({
      size: this.#adapters.length,
      request: (i) => this.#adapters[i]!.evalScript(script, [resource], args),
      classify: (reply) => (accept(reply) ? 'for' : 'against'),
      timeout: Math.max(1, Math.min(this.requestTimeout, ttl)),
      ...(early ? { done: (t) => t.for >= q || t.for + t.pending < q } : {}),
      onNodeError: (_node, error) => this.emit('clientError', error),
    });
    return round;
  }
}

export default Redlock;
