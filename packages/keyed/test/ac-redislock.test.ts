import { toAdapter } from '@redis-locks/core';
import { freePort, uniqueKey } from '@redis-locks/testing';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import redisLock, { type RedisLock } from '../src/ac-redislock.js';
import { countingAdapter, recordingLogger } from './helpers.js';

const url = inject('redisUrl');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Resolves the rejection of `promise` (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error & { code?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: unknown };
  }
  throw new Error('expected a rejection');
}

describe('ac-redislock drop-in', () => {
  let client: Redis;
  let nodeRedis: ReturnType<typeof createClient>;
  const keys: string[] = [];
  const instances: RedisLock[] = [];
  const key = (label = 'k') => {
    const k = uniqueKey(`acrl:${label}`);
    keys.push(k);
    return k;
  };
  /**
   * A fresh instance initialised on the shared ioredis client, with a recording logger so the test output
   * stays clean (`consoleLogger` keeps the original's default, console).
   */
  async function instance(options: Record<string, unknown> = {}, consoleLogger = false): Promise<RedisLock> {
    const lock = redisLock.create();
    instances.push(lock);
    await lock.init({
      redis: client,
      ...(consoleLogger ? {} : { logger: recordingLogger().logger }),
      ...options,
    });
    return lock;
  }

  beforeAll(async () => {
    client = new Redis(url);
    nodeRedis = createClient({ url });
    nodeRedis.on('error', () => undefined);
    await nodeRedis.connect();
  });
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((i) => i.close()));
    if (keys.length) await client.del(...keys.splice(0));
  });
  afterAll(async () => {
    await redisLock.close();
    await client.quit();
    await nodeRedis.close();
  });

  describe('module shape', () => {
    it('is a singleton with init, lockKey, releaseLock, getLock and create; create() makes independent instances', async () => {
      expect(Object.keys(redisLock).sort()).toEqual([
        'close',
        'create',
        'getLock',
        'init',
        'lockKey',
        'releaseLock',
      ]);
      const a = redisLock.create();
      const b = redisLock.create();
      expect(a).not.toBe(b);
      expect(a).not.toBe(redisLock);
      instances.push(a, b);
      await a.init({ redis: client });
      // b was never initialised: it has no connection of its own.
      expect((await rejection(b.lockKey({ redisKey: key() }))).message).toMatch(/^lockKey_notInitialized/);
      const k = key();
      expect(await a.lockKey({ redisKey: k })).toMatch(UUID);
    });

    it('methods work destructured, like the original closures', async () => {
      const { init, lockKey, releaseLock, getLock } = redisLock.create();
      await init({ redis: client });
      const k = key();
      const value = await lockKey({ redisKey: k });
      expect(await getLock({ redisKey: k })).toBe(value);
      await releaseLock({ redisKey: k, value });
      expect(await getLock({ redisKey: k })).toBeNull();
    });

    it('the default singleton works after init', async () => {
      await redisLock.init({ redis: client });
      const k = key();
      const value = await redisLock.lockKey({ redisKey: k, expires: 5 });
      await redisLock.releaseLock({ redisKey: k, value });
      expect(await client.exists(k)).toBe(0);
    });
  });

  describe('init', () => {
    it('rejects a missing redis with a clear error: there is no in-memory fallback', async () => {
      const lock = redisLock.create();
      for (const options of [{}, { redis: undefined }, { redis: null }, undefined]) {
        const error = await rejection(lock.init(options as never));
        expect(error.message).toMatch(
          /^init_redis_isRequired: pass redis as an ioredis or node-redis client/,
        );
        expect(error.message).toMatch(/in-memory/);
        expect(error.code).toBe(-1);
      }
      expect((await rejection(lock.lockKey({ redisKey: 'x' }))).message).toMatch(/^lockKey_notInitialized/);
      expect((await rejection(lock.releaseLock({ redisKey: 'x' }))).message).toMatch(
        /^releaseLock_notInitialized/,
      );
      expect((await rejection(lock.getLock({ redisKey: 'x' }))).message).toMatch(/^getLock_notInitialized/);
    });

    it('validates redis, logger, logLevel and suppressMismatch', async () => {
      const lock = redisLock.create();
      await expect(lock.init({ redis: 42 })).rejects.toThrow(/init: redis must be an ioredis or node-redis/);
      await expect(lock.init({ redis: [] })).rejects.toThrow(TypeError);
      await expect(lock.init({ redis: new Map() })).rejects.toThrow(/redis must be/);
      await expect(lock.init({ redis: client, logger: 'console' as never })).rejects.toThrow(
        /init: logger must be/,
      );
      await expect(lock.init({ redis: client, logLevel: 'silly' })).rejects.toThrow(
        /logger has no method "silly"/,
      );
      await expect(lock.init({ redis: client, logLevel: 3 as never })).rejects.toThrow(/logLevel/);
      await expect(lock.init({ redis: client, suppressMismatch: 'yes' as never })).rejects.toThrow(
        /suppressMismatch/,
      );
    });

    it('accepts a node-redis client and a RedisAdapter', async () => {
      for (const redis of [nodeRedis, toAdapter(client)]) {
        const lock = await instance({ redis });
        const k = key();
        const value = await lock.lockKey({ redisKey: k });
        expect(await client.get(k)).toBe(value);
        await lock.releaseLock({ redisKey: k, value });
        expect(await client.exists(k)).toBe(0);
      }
      expect(nodeRedis.isOpen).toBe(true);
    });

    it('opens an ioredis connection from a URL or options, and close() ends it (never a given client)', async () => {
      const name = `acrl-${uniqueKey('conn').replace(/[^a-z0-9]/gi, '')}`;
      const { hostname, port } = new URL(url);
      const connections = async () =>
        ((await client.client('LIST')) as string).split('\n').filter((l) => l.includes(`name=${name}`));

      const fromOptions = redisLock.create();
      await fromOptions.init({ redis: { host: hostname, port: Number(port), connectionName: name } });
      expect(await connections()).toHaveLength(1);
      const k = key();
      await fromOptions.lockKey({ redisKey: k, value: 'v1' });
      expect(await fromOptions.getLock({ redisKey: k })).toBe('v1');
      await fromOptions.close();
      await vi.waitFor(async () => expect(await connections()).toHaveLength(0));
      expect((await rejection(fromOptions.getLock({ redisKey: k }))).message).toMatch(
        /^getLock_notInitialized/,
      );

      const fromUrl = redisLock.create();
      instances.push(fromUrl);
      await fromUrl.init({ redis: url });
      await fromUrl.releaseLock({ redisKey: k, value: 'v1' });
      expect(await client.exists(k)).toBe(0);
      await fromUrl.close();

      // A client or adapter we were given stays open.
      const given = await instance();
      await given.close();
      expect(await client.ping()).toBe('PONG');
      const counting = countingAdapter(toAdapter(client));
      const onAdapter = await instance({ redis: counting.adapter });
      await onAdapter.init({ redis: client }); // a later init does not close it either
      await onAdapter.close();
      expect(counting.state.closed).toBe(false);
    });

    it('a later init replaces the earlier one and ends the connection the earlier one opened', async () => {
      const name = `acrl-${uniqueKey('reinit').replace(/[^a-z0-9]/gi, '')}`;
      const { hostname, port } = new URL(url);
      const lock = redisLock.create();
      instances.push(lock);
      await lock.init({ redis: { host: hostname, port: Number(port), connectionName: name } });
      const log = recordingLogger(['log', 'warn', 'error', 'debug']);
      await lock.init({ redis: client, logger: log.logger, reInit: true } as never);
      await vi.waitFor(async () =>
        expect((await client.client('LIST')) as string).not.toContain(`name=${name}`),
      );
      const k = key();
      await lock.lockKey({ redisKey: k, value: 'mine' });
      await expect(lock.releaseLock({ redisKey: k, value: 'other' })).rejects.toThrow(
        'releaseLock_valueMismatch',
      );
      expect(log.entries('log')).toHaveLength(1); // the new logger is the one in use
    });

    it('checks the connection: an unreachable server rejects and logs cannotConnectToRedis at error level', async () => {
      const log = recordingLogger(['log', 'error']);
      const lock = redisLock.create();
      const port = await freePort();
      const error = await rejection(
        lock.init({
          redis: { host: '127.0.0.1', port, retryStrategy: () => null, maxRetriesPerRequest: 0 },
          logger: log.logger,
        }),
      );
      expect(error).toBeInstanceOf(Error);
      expect(log.entries('error').map((e) => e.message)).toEqual(['cannotConnectToRedis']);
      expect((await rejection(lock.lockKey({ redisKey: 'x' }))).message).toMatch(/notInitialized/);
    });
  });

  describe('lockKey', () => {
    it('sets the key verbatim to a random UUID for `expires` seconds (default 10) with SET NX semantics', async () => {
      const lock = await instance();
      const k = key('verbatim');
      const value = await lock.lockKey({ redisKey: k });
      expect(value).toMatch(UUID);
      expect(await client.get(k)).toBe(value);
      const pttl = await client.pttl(k);
      expect(pttl).toBeGreaterThan(9000);
      expect(pttl).toBeLessThanOrEqual(10_000);
      // No prefix and no fencing counter: exactly one key.
      expect(await client.keys(`${k}*`)).toEqual([k]);

      const k2 = key('expires');
      await lock.lockKey({ redisKey: k2, expires: 2 });
      const pttl2 = await client.pttl(k2);
      expect(pttl2).toBeGreaterThan(1500);
      expect(pttl2).toBeLessThanOrEqual(2000);
    });

    it('stores and resolves a caller-chosen value', async () => {
      const lock = await instance();
      const k = key();
      expect(await lock.lockKey({ redisKey: k, value: 'job-123' })).toBe('job-123');
      expect(await client.get(k)).toBe('job-123');
    });

    it('throws resource_locked with code 423 while the key is held, by this layer or by the original', async () => {
      const lock = await instance();
      const other = await instance({ redis: nodeRedis });
      const k = key();
      const value = await lock.lockKey({ redisKey: k });
      const error = await rejection(other.lockKey({ redisKey: k }));
      expect(error.message).toBe('resource_locked');
      expect(error.code).toBe(423);
      expect(await client.get(k)).toBe(value);

      // A process still running ac-redislock: SET key value EX 10 NX.
      const legacy = key('legacy');
      await client.set(legacy, 'legacy-value', 'EX', 10, 'NX');
      expect((await rejection(lock.lockKey({ redisKey: legacy }))).code).toBe(423);
      expect(await lock.getLock({ redisKey: legacy })).toBe('legacy-value');
      await lock.releaseLock({ redisKey: legacy, value: 'legacy-value' });
      expect(await client.exists(legacy)).toBe(0);
      // …and the original's SET NX fails against a lock this layer holds.
      const ours = key('ours');
      await lock.lockKey({ redisKey: ours });
      expect(await client.set(ours, 'x', 'EX', 10, 'NX')).toBeNull();
    });

    it('can be taken again once it expired', async () => {
      const lock = await instance();
      const k = key();
      await lock.lockKey({ redisKey: k, expires: 0.1 });
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(await lock.lockKey({ redisKey: k, value: 'second' })).toBe('second');
    });

    it('throws lockKey_redisKey_isRequired (code -1) without a redisKey, and validates expires and value', async () => {
      const lock = await instance();
      for (const params of [{}, { redisKey: '' }, { redisKey: null }, undefined]) {
        const error = await rejection(lock.lockKey(params as never));
        expect(error.message).toBe('lockKey_redisKey_isRequired');
        expect(error.code).toBe(-1);
      }
      await expect(lock.lockKey({ redisKey: key(), expires: 0 })).rejects.toThrow(RangeError);
      await expect(lock.lockKey({ redisKey: key(), expires: -1 })).rejects.toThrow(
        /expires must be a positive number of seconds/,
      );
      await expect(lock.lockKey({ redisKey: key(), expires: 'soon' as never })).rejects.toThrow(/expires/);
      await expect(lock.lockKey({ redisKey: key(), value: { a: 1 } as never })).rejects.toThrow(
        /value must be a string/,
      );
      await expect(lock.lockKey({ redisKey: {} as never })).rejects.toThrow(/redisKey must be a string/);
    });
  });

  describe('releaseLock', () => {
    it('deletes the key when the value matches', async () => {
      const lock = await instance();
      const k = key();
      const value = await lock.lockKey({ redisKey: k });
      await expect(lock.releaseLock({ redisKey: k, value })).resolves.toBeUndefined();
      expect(await client.exists(k)).toBe(0);
    });

    it('is one atomic compare-and-delete script: a single lock_release round trip', async () => {
      const { adapter, scripts } = countingAdapter(toAdapter(client));
      const lock = await instance({ redis: adapter });
      const k = key();
      const value = await lock.lockKey({ redisKey: k });
      scripts.length = 0;
      await lock.releaseLock({ redisKey: k, value });
      await expect(lock.releaseLock({ redisKey: k, value })).rejects.toThrow('releaseLock_valueMismatch');
      expect(scripts).toEqual(['lock_release', 'lock_release']);
    });

    it('a different value throws releaseLock_valueMismatch, logs at logLevel, and leaves the lock alone', async () => {
      const log = recordingLogger(['log', 'warn', 'error', 'debug', 'info']);
      const lock = await instance({ logger: log.logger });
      const k = key();
      const value = await lock.lockKey({ redisKey: k, value: 'right-value' });
      const error = await rejection(lock.releaseLock({ redisKey: k, value: 'wrong-value' }));
      expect(error.message).toBe('releaseLock_valueMismatch');
      expect(error.code).toBe(-1);
      expect(await client.get(k)).toBe(value);
      const entries = log.entries('log');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toEqual({
        message: 'releaseLock_valueMismatch',
        redisKey: k,
        level: 'warn',
        value: expect.stringMatching(/^sha256:[0-9a-f]{8}$/),
      });
      expect(JSON.stringify(log.calls)).not.toContain('wrong-value');
    });

    it('a missing stored value (expired or never locked) with a value is a mismatch too', async () => {
      const lock = await instance();
      const k = key();
      expect((await rejection(lock.releaseLock({ redisKey: k, value: 'anything' }))).message).toBe(
        'releaseLock_valueMismatch',
      );
    });

    it('suppressMismatch (per call or from init) returns quietly and keeps the lock', async () => {
      const log = recordingLogger(['log', 'warn', 'error', 'debug', 'info']);
      const lock = await instance({ logger: log.logger });
      const k = key();
      await lock.lockKey({ redisKey: k, value: 'owner' });
      await expect(
        lock.releaseLock({ redisKey: k, value: 'intruder', suppressMismatch: true }),
      ).resolves.toBeUndefined();
      expect(await client.get(k)).toBe('owner');
      expect(log.entries('log')).toEqual([]);
      // Suppressed mismatches go to a logger you passed only at debug level.
      expect(log.entries('debug')).toMatchObject([
        { message: 'releaseLock_valueMismatch', suppressed: true },
      ]);

      const quiet = await instance({ suppressMismatch: true });
      await expect(quiet.releaseLock({ redisKey: k, value: 'intruder' })).resolves.toBeUndefined();
      await expect(
        quiet.releaseLock({ redisKey: k, value: 'intruder', suppressMismatch: false }),
      ).rejects.toThrow('releaseLock_valueMismatch');
      expect(await client.get(k)).toBe('owner');
    });

    it('the default logger is console: unsuppressed mismatches are written with console.log', async () => {
      const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
      try {
        const lock = await instance({}, true);
        const k = key();
        await lock.lockKey({ redisKey: k });
        await expect(lock.releaseLock({ redisKey: k, value: 'nope' })).rejects.toThrow(
          'releaseLock_valueMismatch',
        );
        expect(spy).toHaveBeenCalledTimes(1);
        expect(spy.mock.calls[0]![0]).toMatchObject({ message: 'releaseLock_valueMismatch', redisKey: k });
      } finally {
        spy.mockRestore();
      }
    });

    it('the default console logger stays quiet for suppressed mismatches', async () => {
      const spies = (['debug', 'log', 'warn', 'error', 'info'] as const).map((m) =>
        vi.spyOn(console, m).mockImplementation(() => undefined),
      );
      try {
        const lock = await instance({ suppressMismatch: true }, true);
        const k = key();
        await lock.lockKey({ redisKey: k });
        await lock.releaseLock({ redisKey: k, value: 'nope' });
        await lock.releaseLock({ redisKey: k });
        for (const spy of spies) expect(spy).not.toHaveBeenCalled();
      } finally {
        for (const spy of spies) spy.mockRestore();
      }
    });

    it('uses logLevel for mismatches and error for Redis errors', async () => {
      const log = recordingLogger(['warn', 'error']);
      const lock = await instance({ logger: log.logger, logLevel: 'warn' });
      const k = key();
      await lock.lockKey({ redisKey: k });
      await expect(lock.releaseLock({ redisKey: k, value: 'x' })).rejects.toThrow(
        'releaseLock_valueMismatch',
      );
      expect(log.entries('warn').map((e) => e.message)).toEqual(['releaseLock_valueMismatch']);
      // Level-named methods get no `level` field (pino would print it twice).
      expect(log.entries('warn')[0]).not.toHaveProperty('level');

      const hash = key('hash');
      await client.hset(hash, 'f', 'v');
      await expect(lock.releaseLock({ redisKey: hash, value: 'x' })).rejects.toThrow(/WRONGTYPE/);
      await expect(lock.getLock({ redisKey: hash })).rejects.toThrow(/WRONGTYPE/);
      expect(log.entries('error').map((e) => [e.message, e.operation, e.redisKey])).toEqual([
        ['redisError', 'releaseLock', hash],
        ['redisError', 'getLock', hash],
      ]);
      expect(await client.hget(hash, 'f')).toBe('v');
    });

    it('throws releaseLock_redisKey_isRequired without a redisKey', async () => {
      const lock = await instance();
      const error = await rejection(lock.releaseLock({ value: 'v' } as never));
      expect(error.message).toBe('releaseLock_redisKey_isRequired');
      expect(error.code).toBe(-1);
    });

    describe('without a value', () => {
      it('releases the lock this instance took (the README example: the same params object for both calls)', async () => {
        const lock = await instance();
        const params = { redisKey: key() };
        await lock.lockKey(params);
        await lock.releaseLock(params);
        expect(await client.exists(params.redisKey)).toBe(0);
        // Nothing left to release: quiet, like the original's DEL of a missing key.
        await expect(lock.releaseLock(params)).resolves.toBeUndefined();
      });

      it('never deletes a lock another instance or process holds: a mismatch instead', async () => {
        const mine = await instance();
        const theirs = await instance({ redis: nodeRedis });
        const k = key();
        const value = await theirs.lockKey({ redisKey: k });
        expect((await rejection(mine.releaseLock({ redisKey: k }))).message).toBe(
          'releaseLock_valueMismatch',
        );
        await expect(mine.releaseLock({ redisKey: k, suppressMismatch: true })).resolves.toBeUndefined();
        expect(await client.get(k)).toBe(value);
      });

      it('does not delete a newer owner’s lock after this instance’s lock expired', async () => {
        const mine = await instance();
        const theirs = await instance({ redis: nodeRedis });
        const k = key();
        await mine.lockKey({ redisKey: k, expires: 0.1 });
        await new Promise((resolve) => setTimeout(resolve, 150));
        const newer = await theirs.lockKey({ redisKey: k });
        expect((await rejection(mine.releaseLock({ redisKey: k }))).message).toBe(
          'releaseLock_valueMismatch',
        );
        expect(await client.get(k)).toBe(newer);
      });

      it('is quiet when this instance’s lock already expired and nobody took it', async () => {
        const mine = await instance();
        const k = key();
        await mine.lockKey({ redisKey: k, expires: 0.1 });
        await new Promise((resolve) => setTimeout(resolve, 150));
        await expect(mine.releaseLock({ redisKey: k })).resolves.toBeUndefined();
      });
    });
  });

  describe('getLock', () => {
    it('resolves the stored value, or null for a free key', async () => {
      const lock = await instance();
      const k = key();
      expect(await lock.getLock({ redisKey: k })).toBeNull();
      const value = await lock.lockKey({ redisKey: k });
      expect(await lock.getLock({ redisKey: k })).toBe(value);
      expect(await lock.getLock({ redisKey: k, value })).toBe(value);
    });

    it('throws getLock_valueMismatch for a different value (or none stored), logged at logLevel', async () => {
      const log = recordingLogger(['log', 'error', 'debug']);
      const lock = await instance({ logger: log.logger });
      const k = key();
      await lock.lockKey({ redisKey: k, value: 'stored' });
      const error = await rejection(lock.getLock({ redisKey: k, value: 'guess' }));
      expect(error.message).toBe('getLock_valueMismatch');
      expect(error.code).toBe(-1);
      expect((await rejection(lock.getLock({ redisKey: key(), value: 'guess' }))).message).toBe(
        'getLock_valueMismatch',
      );
      expect(log.entries('log').map((e) => e.message)).toEqual([
        'getLock_valueMismatch',
        'getLock_valueMismatch',
      ]);
      expect(await client.get(k)).toBe('stored');
    });

    it('throws getLock_redisKey_isRequired without a redisKey', async () => {
      const lock = await instance();
      expect((await rejection(lock.getLock({} as never))).message).toBe('getLock_redisKey_isRequired');
    });
  });
});
