import { uniqueKey } from '@redis-locks/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import Warlock, {
  type Warlock as WarlockApi,
  type WarlockLockCallback,
  type WarlockOptimisticCallback,
  type WarlockOptimisticError,
  type WarlockTouchCallback,
  type WarlockUnlockCallback,
} from '../src/warlock.js';
import {
  type ClientKind,
  type Connection,
  clientKinds,
  collectUncaught,
  connect,
  delay,
  recorder,
} from './warlock-helpers.js';

const url = inject('redisUrl');

type LockArgs = Parameters<WarlockLockCallback>;
type UnlockArgs = Parameters<WarlockUnlockCallback>;
type OptimisticArgs = Parameters<WarlockOptimisticCallback>;
type TouchArgs = Parameters<WarlockTouchCallback>;

const ID = /^[0-9a-f]{32}$/;

describe('warlock factory', () => {
  it('is the default export, a function taking a client', () => {
    expect(typeof Warlock).toBe('function');
    expect(Warlock.length).toBe(1);
  });

  it('throws a TypeError for something that is not a supported client', () => {
    expect(() => Warlock({})).toThrow(TypeError);
    expect(() => Warlock(undefined)).toThrow(/redis must be an ioredis/);
  });
});

describe.each(clientKinds)('warlock over %s', (kind: ClientKind) => {
  let conn: Connection;
  let warlock: WarlockApi;

  beforeAll(async () => {
    conn = await connect(kind, url);
    warlock = Warlock(conn.client);
  });
  afterAll(async () => {
    await conn.close();
  });

  const pttl = async (key: string) => Number(await conn.raw('PTTL', key));

  describe('makeKey', () => {
    it('appends :lock', () => {
      expect(warlock.makeKey('jobs')).toBe('jobs:lock');
    });
  });

  describe('lock', () => {
    it('returns the key synchronously and calls back with an unlock function and the id', async () => {
      const key = uniqueKey('wl');
      const r = recorder<LockArgs>();
      expect(warlock.lock(key, 10_000, r.cb)).toBe(key);
      expect(r.calls).toHaveLength(0);
      const [err, unlock, id] = await r.first;
      expect(err).toBeNull();
      expect(typeof unlock).toBe('function');
      expect(id).toMatch(ID);
      // The original layout: a plain string `<key>:lock` holding the id, with a PX expiry.
      expect(await conn.raw('TYPE', `${key}:lock`)).toBe('string');
      expect(await conn.raw('GET', `${key}:lock`)).toBe(id);
      const ttl = await pttl(`${key}:lock`);
      expect(ttl).toBeGreaterThan(9_000);
      expect(ttl).toBeLessThanOrEqual(10_000);
      await (unlock as () => Promise<0 | 1>)();
    });

    it('calls back with false and a fresh id when the lock is held', async () => {
      const key = uniqueKey('wl');
      const first = recorder<LockArgs>();
      warlock.lock(key, 10_000, first.cb);
      const [, unlock, holderId] = await first.first;
      const second = recorder<LockArgs>();
      expect(warlock.lock(key, 10_000, second.cb)).toBe(key);
      const [err, notObtained, id] = await second.first;
      expect(err).toBeNull();
      expect(notObtained).toBe(false);
      expect(id).toMatch(ID);
      expect(id).not.toBe(holderId);
      expect(await conn.raw('GET', `${key}:lock`)).toBe(holderId);
      await (unlock as () => Promise<0 | 1>)();
    });

    it('hands out an unlock function that releases with its id, by callback or promise', async () => {
      const key = uniqueKey('wl');
      const r = recorder<LockArgs>();
      warlock.lock(key, 10_000, r.cb);
      const [, unlock] = await r.first;
      if (!unlock) throw new Error('not obtained');
      const done = recorder<UnlockArgs>();
      expect(unlock(done.cb)).toBeUndefined();
      expect(await done.first).toEqual([null, 1]);
      expect(await conn.raw('EXISTS', `${key}:lock`)).toBe(0);
      // A second release finds nothing to delete.
      expect(await unlock()).toBe(0);
    });

    it('calls back with "lock key must be string" for a non-string key', async () => {
      for (const bad of [undefined, 42, { key: 'x' }]) {
        const r = recorder<LockArgs>();
        warlock.lock(bad as unknown as string, 1000, r.cb);
        const [err, ...rest] = await r.first;
        expect(err).toBeInstanceOf(Error);
        expect(err?.message).toBe('lock key must be string');
        expect(rest).toEqual([]);
        expect(r.calls).toHaveLength(1);
      }
    });

    it('calls back with a clear error for a ttl that is not a positive integer, writing nothing', async () => {
      const key = uniqueKey('wl');
      for (const bad of [0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '1000', undefined]) {
        const r = recorder<LockArgs>();
        warlock.lock(key, bad as number, r.cb);
        const [err] = await r.first;
        expect(err?.message).toMatch(/^ttl must be/);
        expect((err as Error & { code?: string }).code).toMatch(/^ERR_(INVALID_ARG_TYPE|OUT_OF_RANGE)$/);
      }
      expect(await conn.raw('EXISTS', `${key}:lock`)).toBe(0);
    });

    it('without a callback returns a promise of { unlock, id }', async () => {
      const key = uniqueKey('wl');
      const held = await warlock.lock(key, 10_000);
      expect(typeof held.unlock).toBe('function');
      expect(held.id).toMatch(ID);
      const refused = await warlock.lock(key, 10_000);
      expect(refused.unlock).toBe(false);
      expect(refused.id).toMatch(ID);
      expect(refused.id).not.toBe(held.id);
      await expect(warlock.lock(7 as unknown as string, 10_000)).rejects.toThrow('lock key must be string');
      await expect(warlock.lock(key, 0)).rejects.toThrow(RangeError);
      if (held.unlock) expect(await held.unlock()).toBe(1);
    });

    it('uses unguessable ids: 32 hex digits (128 random bits), never repeated', async () => {
      const key = uniqueKey('wl');
      const ids = new Set<string>();
      for (let i = 0; i < 50; i++) {
        const { id } = await warlock.lock(key, 10_000);
        expect(id).toMatch(ID);
        ids.add(id);
      }
      expect(ids.size).toBe(50);
      // Not time-based: ids made in a row share no common prefix the way v1 UUIDs (timestamp first) do.
      const sorted = [...ids].sort();
      const prefixes = new Set(sorted.map((id) => id.slice(0, 6)));
      expect(prefixes.size).toBeGreaterThan(45);
      await conn.raw('DEL', `${key}:lock`);
    });

    it('passes a Redis error to the callback (closed client), never swallowing it', async () => {
      const dead = await connect(kind, url);
      const deadWarlock = Warlock(dead.client);
      await dead.close();
      const r = recorder<LockArgs>();
      deadWarlock.lock(uniqueKey('wl'), 1000, r.cb);
      const [err] = await r.first;
      expect(err).toBeInstanceOf(Error);
      await delay(20);
      expect(r.calls).toHaveLength(1);
      const o = recorder<OptimisticArgs>();
      deadWarlock.optimistic(uniqueKey('wl'), 1000, 3, 10, o.cb);
      expect((await o.first)[0]).toBeInstanceOf(Error);
      await expect(deadWarlock.lock(uniqueKey('wl'), 1000)).rejects.toBeInstanceOf(Error);
    });
  });

  describe('unlock', () => {
    it('calls back 1 when it deleted the lock, 0 for a wrong id or a missing lock', async () => {
      const key = uniqueKey('wl');
      const { id } = await warlock.lock(key, 10_000);
      const wrong = recorder<UnlockArgs>();
      warlock.unlock(key, 'not-the-id', wrong.cb);
      expect(await wrong.first).toEqual([null, 0]);
      expect(await conn.raw('GET', `${key}:lock`)).toBe(id);
      const right = recorder<UnlockArgs>();
      warlock.unlock(key, id, right.cb);
      expect(await right.first).toEqual([null, 1]);
      expect(await conn.raw('EXISTS', `${key}:lock`)).toBe(0);
      const missing = recorder<UnlockArgs>();
      warlock.unlock(key, id, missing.cb);
      expect(await missing.first).toEqual([null, 0]);
    });

    it('lets anyone who knows the id release the lock (another warlock on another connection)', async () => {
      const key = uniqueKey('wl');
      const { id } = await warlock.lock(key, 10_000);
      const other = await connect(kind, url);
      try {
        expect(await Warlock(other.client).unlock(key, id)).toBe(1);
      } finally {
        await other.close();
      }
      expect(await conn.raw('EXISTS', `${key}:lock`)).toBe(0);
    });

    it('without a callback returns a promise of 1 | 0', async () => {
      const key = uniqueKey('wl');
      const { id } = await warlock.lock(key, 10_000);
      expect(await warlock.unlock(key, 'nope')).toBe(0);
      expect(await warlock.unlock(key, id)).toBe(1);
    });

    it('validates the key and the id', async () => {
      const r = recorder<UnlockArgs>();
      warlock.unlock(null as unknown as string, 'id', r.cb);
      expect((await r.first)[0]?.message).toBe('lock key must be string');
      await expect(warlock.unlock(uniqueKey('wl'), 5 as unknown as string)).rejects.toThrow(
        /lock id must be a string/,
      );
    });
  });

  describe('Redis errors reach the callback', () => {
    it('WRONGTYPE from unlock and touch when <key>:lock is a hash', async () => {
      const key = uniqueKey('wl');
      await conn.raw('HSET', `${key}:lock`, 'field', 'value');
      try {
        const u = recorder<UnlockArgs>();
        warlock.unlock(key, 'some-id', u.cb);
        const [uErr, ...uRest] = await u.first;
        expect(uErr?.message).toMatch(/WRONGTYPE/);
        expect(uRest).toEqual([]);
        const t = recorder<TouchArgs>();
        warlock.touch(key, 'some-id', 1000, t.cb);
        expect((await t.first)[0]?.message).toMatch(/WRONGTYPE/);
        await expect(warlock.unlock(key, 'some-id')).rejects.toThrow(/WRONGTYPE/);
        await expect(warlock.touch(key, 'some-id', 1000)).rejects.toThrow(/WRONGTYPE/);
        // SET NX does not look at the type: a hash in the way simply means "held", as with the original.
        const l = recorder<LockArgs>();
        warlock.lock(key, 1000, l.cb);
        const [lErr, unlock, id] = await l.first;
        expect(lErr).toBeNull();
        expect(unlock).toBe(false);
        expect(id).toMatch(ID);
        await delay(20);
        expect([u.calls.length, t.calls.length, l.calls.length]).toEqual([1, 1, 1]);
        expect(await conn.raw('HGET', `${key}:lock`, 'field')).toBe('value');
      } finally {
        await conn.raw('DEL', `${key}:lock`);
      }
    });

    it('a promise nobody awaits does not become an unhandled rejection (fire-and-forget unlock())', async () => {
      const key = uniqueKey('wl');
      await conn.raw('HSET', `${key}:lock`, 'field', 'value');
      const unhandled: unknown[] = [];
      const listener = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', listener);
      try {
        void warlock.unlock(key, 'some-id');
        void warlock.touch(key, 'some-id', 1000);
        await delay(100);
      } finally {
        process.off('unhandledRejection', listener);
        await conn.raw('DEL', `${key}:lock`);
      }
      expect(unhandled).toEqual([]);
    });
  });

  describe('callbacks are called once', () => {
    it('an exception thrown by a lock or unlock callback surfaces as uncaught, not as a second call', async () => {
      const key = uniqueKey('wl');
      const lockCalls: LockArgs[] = [];
      const unlockCalls: UnlockArgs[] = [];
      let unlock: ((cb: WarlockUnlockCallback) => void) | undefined;
      const caught = await collectUncaught(async () => {
        await new Promise<void>((resolve) => {
          warlock.lock(key, 10_000, (...args) => {
            lockCalls.push(args);
            unlock = args[1] || undefined;
            resolve();
            throw new Error('boom in lock callback');
          });
        });
        await new Promise<void>((resolve) => {
          unlock?.((...args) => {
            unlockCalls.push(args);
            resolve();
            throw new Error('boom in unlock callback');
          });
        });
      });
      expect(lockCalls).toHaveLength(1);
      expect(lockCalls[0]?.[0]).toBeNull();
      expect(unlockCalls).toEqual([[null, 1]]);
      expect(caught.map((e) => (e as Error).message)).toEqual([
        'boom in lock callback',
        'boom in unlock callback',
      ]);
    });

    it('an exception thrown by an error callback is not re-delivered either', async () => {
      const key = uniqueKey('wl');
      await conn.raw('HSET', `${key}:lock`, 'field', 'value');
      const calls: UnlockArgs[] = [];
      try {
        const caught = await collectUncaught(async () => {
          await new Promise<void>((resolve) => {
            warlock.unlock(key, 'some-id', (...args) => {
              calls.push(args);
              resolve();
              throw new Error('boom in error callback');
            });
          });
        });
        expect(calls).toHaveLength(1);
        expect(calls[0]?.[0]?.message).toMatch(/WRONGTYPE/);
        expect(caught.map((e) => (e as Error).message)).toEqual(['boom in error callback']);
      } finally {
        await conn.raw('DEL', `${key}:lock`);
      }
    });
  });

  describe('optimistic', () => {
    it('takes a free lock at once: cb(null, unlock, id)', async () => {
      const key = uniqueKey('wl');
      const r = recorder<OptimisticArgs>();
      expect(warlock.optimistic(key, 10_000, 3, 50, r.cb)).toBeUndefined();
      const [err, unlock, id] = await r.first;
      expect(err).toBeNull();
      expect(typeof unlock).toBe('function');
      expect(id).toMatch(ID);
      expect(await conn.raw('GET', `${key}:lock`)).toBe(id);
      expect(await warlock.unlock(key, id as string)).toBe(1);
    });

    it('gives up after maxAttempts with "unable to obtain lock" carrying maxAttempts, key, ttl, wait', async () => {
      const key = uniqueKey('wl');
      const holder = await warlock.lock(key, 10_000);
      const attemptsSeen: string[] = [];
      const counting = Warlock(conn.client);
      counting.makeKey = (k) => {
        attemptsSeen.push(k);
        return `${k}:lock`;
      };
      const r = recorder<OptimisticArgs>();
      const started = performance.now();
      counting.optimistic(key, 5000, 4, 40, r.cb);
      const [err, ...rest] = await r.first;
      const elapsed = performance.now() - started;
      expect(rest).toEqual([]);
      expect(err?.message).toBe('unable to obtain lock');
      const e = err as WarlockOptimisticError;
      expect({ maxAttempts: e.maxAttempts, key: e.key, ttl: e.ttl, wait: e.wait }).toEqual({
        maxAttempts: 4,
        key,
        ttl: 5000,
        wait: 40,
      });
      expect(attemptsSeen).toEqual([key, key, key, key]);
      expect(elapsed).toBeGreaterThanOrEqual(3 * 40 - 5);
      await delay(60);
      expect(r.calls).toHaveLength(1);
      expect(await conn.raw('GET', `${key}:lock`)).toBe(holder.id);
      if (holder.unlock) await holder.unlock();
    });

    it('succeeds once the holder unlocks', async () => {
      const key = uniqueKey('wl');
      const holder = await warlock.lock(key, 10_000);
      const r = recorder<OptimisticArgs>();
      warlock.optimistic(key, 10_000, 50, 20, r.cb);
      await delay(70);
      expect(r.calls).toHaveLength(0);
      if (holder.unlock) expect(await holder.unlock()).toBe(1);
      const [err, unlock, id] = await r.first;
      expect(err).toBeNull();
      expect(typeof unlock).toBe('function');
      expect(id).not.toBe(holder.id);
      expect(await conn.raw('GET', `${key}:lock`)).toBe(id);
      const done = recorder<UnlockArgs>();
      unlock?.(done.cb);
      expect(await done.first).toEqual([null, 1]);
    });

    it('without a callback returns a promise of { unlock, id } or rejects with the error', async () => {
      const key = uniqueKey('wl');
      const got = await warlock.optimistic(key, 10_000, 2, 10);
      expect(got.id).toMatch(ID);
      const error = await warlock.optimistic(key, 10_000, 2, 10).then(
        () => null,
        (e: WarlockOptimisticError) => e,
      );
      expect(error?.message).toBe('unable to obtain lock');
      expect(error?.maxAttempts).toBe(2);
      expect(await got.unlock()).toBe(1);
    });

    it('validates its arguments through the callback', async () => {
      const cases: [unknown, unknown, unknown, unknown, RegExp][] = [
        [1, 1000, 3, 10, /^lock key must be string$/],
        ['k', 0, 3, 10, /^ttl must be/],
        ['k', 1000, 0, 10, /^maxAttempts must be/],
        ['k', 1000, 2.5, 10, /^maxAttempts must be/],
        ['k', 1000, '3', 10, /^maxAttempts must be/],
        ['k', 1000, 3, -1, /^wait must be/],
        ['k', 1000, 3, undefined, /^wait must be/],
      ];
      for (const [key, ttl, maxAttempts, wait, message] of cases) {
        const r = recorder<OptimisticArgs>();
        warlock.optimistic(key as string, ttl as number, maxAttempts as number, wait as number, r.cb);
        expect((await r.first)[0]?.message).toMatch(message);
      }
    });
  });

  describe('touch', () => {
    it("resets the ttl of a lock it owns: 'OK', and PTTL grows", async () => {
      const key = uniqueKey('wl');
      const { id, unlock } = await warlock.lock(key, 1000);
      expect(await pttl(`${key}:lock`)).toBeLessThanOrEqual(1000);
      const r = recorder<TouchArgs>();
      expect(warlock.touch(key, id, 60_000, r.cb)).toBeUndefined();
      expect(await r.first).toEqual([null, 'OK']);
      expect(await pttl(`${key}:lock`)).toBeGreaterThan(50_000);
      expect(await conn.raw('GET', `${key}:lock`)).toBe(id);
      if (unlock) await unlock();
    });

    it('refuses a wrong id (0, ttl untouched) and a missing lock (0)', async () => {
      const key = uniqueKey('wl');
      const { id } = await warlock.lock(key, 1000);
      const r = recorder<TouchArgs>();
      warlock.touch(key, 'not-the-id', 60_000, r.cb);
      expect(await r.first).toEqual([null, 0]);
      expect(await pttl(`${key}:lock`)).toBeLessThanOrEqual(1000);
      expect(await conn.raw('GET', `${key}:lock`)).toBe(id);
      await warlock.unlock(key, id);
      expect(await warlock.touch(key, id, 60_000)).toBe(0);
      expect(await conn.raw('EXISTS', `${key}:lock`)).toBe(0);
    });

    it('returns a promise without a callback', async () => {
      const key = uniqueKey('wl');
      const { id } = await warlock.lock(key, 1000);
      const pending = warlock.touch(key, id, 30_000);
      expect(pending).toBeInstanceOf(Promise);
      expect(await pending).toBe('OK');
      expect(await pttl(`${key}:lock`)).toBeGreaterThan(20_000);
      await warlock.unlock(key, id);
    });

    it('validates key, id and ttl', async () => {
      const key = uniqueKey('wl');
      const r = recorder<TouchArgs>();
      warlock.touch(3 as unknown as string, 'id', 1000, r.cb);
      expect((await r.first)[0]?.message).toBe('lock key must be string');
      await expect(warlock.touch(key, undefined as unknown as string, 1000)).rejects.toThrow(
        /lock id must be a string/,
      );
      await expect(warlock.touch(key, 'id', -1)).rejects.toThrow(/^ttl must be/);
      await expect(warlock.touch(key, 'id', 2.5)).rejects.toThrow(/^ttl must be/);
    });
  });

  describe('makeKey override', () => {
    it('is honoured by lock, touch, unlock, optimistic and the handed-out unlock', async () => {
      const name = uniqueKey('wl');
      const custom = Warlock(conn.client);
      const made: string[] = [];
      custom.makeKey = (k) => {
        made.push(k);
        return `custom:{${k}}`;
      };
      const redisKey = `custom:{${name}}`;

      const { unlock, id } = await custom.lock(name, 1000);
      expect(typeof unlock).toBe('function');
      expect(await conn.raw('GET', redisKey)).toBe(id);
      expect(await conn.raw('EXISTS', `${name}:lock`)).toBe(0);

      expect(await custom.touch(name, id, 60_000)).toBe('OK');
      expect(await pttl(redisKey)).toBeGreaterThan(50_000);

      await expect(custom.optimistic(name, 1000, 2, 5)).rejects.toThrow('unable to obtain lock');

      if (unlock) expect(await unlock()).toBe(1);
      expect(await conn.raw('EXISTS', redisKey)).toBe(0);

      const again = await custom.optimistic(name, 1000, 2, 5);
      expect(await conn.raw('GET', redisKey)).toBe(again.id);
      expect(await custom.unlock(name, again.id)).toBe(1);
      expect(await conn.raw('EXISTS', redisKey)).toBe(0);

      // lock, touch, 2 optimistic attempts, unlock(), optimistic, unlock.
      expect(made).toHaveLength(7);
      expect(new Set(made)).toEqual(new Set([name]));
      // The default layout of other warlocks is untouched.
      expect(warlock.makeKey(name)).toBe(`${name}:lock`);
    });

    it('may be replaced on the object after creation and is called with the object as this', async () => {
      const name = uniqueKey('wl');
      const custom = Warlock(conn.client) as WarlockApi & { prefix: string };
      custom.prefix = 'p1';
      custom.makeKey = function (this: typeof custom, k: string) {
        return `${this.prefix}:${k}`;
      };
      const { id } = await custom.lock(name, 1000);
      expect(await conn.raw('GET', `p1:${name}`)).toBe(id);
      expect(await custom.unlock(name, id)).toBe(1);
    });

    it('a makeKey that throws reaches the callback', async () => {
      const custom = Warlock(conn.client);
      custom.makeKey = () => {
        throw new Error('no key for you');
      };
      const r = recorder<LockArgs>();
      custom.lock('x', 1000, r.cb);
      expect((await r.first)[0]?.message).toBe('no key for you');
    });
  });
});
