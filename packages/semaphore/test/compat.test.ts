import { listKeys, startRedis, uniqueKey, withClient } from '@redis-locks/testing';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import IoredfourLock from '../src/ioredfour.js';
import RedfourLock from '../src/redfour.js';
import { connect, redisUrl, sleep } from './helpers.js';

const flavors = [
  { name: 'redfour', Lock: RedfourLock, expiredIndex: 'expired' as const },
  { name: 'ioredfour', Lock: IoredfourLock, expiredIndex: 0 as const },
];

describe.each(flavors)('$name drop-in', ({ name, Lock, expiredIndex }) => {
  let admin: Redis;
  let lock: RedfourLock;
  let namespace: string;
  const opened: { quit(): Promise<void> }[] = [];
  const make = (options: Record<string, unknown> = {}) => {
    const instance = new Lock({ redis: redisUrl(), namespace, ...options });
    opened.push(instance);
    return instance;
  };

  beforeAll(() => {
    admin = connect();
    namespace = uniqueKey(`compat-${name}`);
    lock = make();
  });
  afterAll(async () => {
    await Promise.all(opened.map((l) => l.quit()));
    const keys = await listKeys(redisUrl(), `${namespace}*`);
    expect(keys.filter((k) => k !== `${namespace}index`)).toEqual([]);
    await admin.del(`${namespace}index`);
    await admin.quit();
  });

  it('requires a redis option, rejects replicationTimeout 0 and old callback clients', () => {
    expect(() => new Lock(undefined as never)).toThrow(/must provide a redis/i);
    expect(() => new Lock({ namespace: 'x' })).toThrow(/must provide a redis/i);
    expect(() => new Lock({ redis: redisUrl(), replicationTimeout: 0 })).toThrow(/replicationTimeout/);
    expect(() => new Lock({ redis: { address: '127.0.0.1:6379', duplicate() {} } })).toThrow(TypeError);
  });

  it('acquireLock: { id, success, index, ttl } with the original layout, and the holder pttl when held', async () => {
    const first = await lock.acquireLock('job', 5000);
    expect(first).toEqual({ id: 'job', success: true, index: expect.any(Number), ttl: 5000 });
    expect(await admin.hget(`${namespace}:job`, 'index')).toBe(String(first.index));
    expect(await admin.get(`${namespace}index`)).toBe(String(first.index));
    expect(await admin.hget(`${namespace}:job`, 'token')).toBe(first.token);
    expect(Object.keys(first)).toEqual(['id', 'success', 'index', 'ttl']);
    const second = await lock.acquireLock('job', 5000);
    expect(second).toMatchObject({ id: 'job', success: false, index: -1 });
    expect(second.ttl).toBeGreaterThan(4800);
    expect(await lock.releaseLock(first)).toEqual({
      id: 'job',
      success: true,
      result: 'released',
      index: first.index,
    });
  });

  it('releaseLock: expired and conflict results; the index alone (or another token) cannot release', async () => {
    const held = await lock.acquireLock('rel', 5000);
    expect(await lock.releaseLock({ id: 'rel', index: held.index })).toEqual({
      id: 'rel',
      success: false,
      result: 'conflict',
      index: -1,
    });
    expect(await lock.releaseLock({ id: 'rel', index: held.index, token: 'guessed' })).toMatchObject({
      result: 'conflict',
    });
    expect(await lock.releaseLock(held)).toMatchObject({ success: true, result: 'released' });
    expect(await lock.releaseLock(held)).toEqual({
      id: 'rel',
      success: true,
      result: 'expired',
      index: expiredIndex,
    });
  });

  it('publishes the lock key on <namespace>-release when released', async () => {
    const subscriber = connect();
    const messages: string[] = [];
    subscriber.on('message', (_channel: string, message: string) => messages.push(message));
    await subscriber.subscribe(`${namespace}-release`);
    const held = await lock.acquireLock('pub', 5000);
    await lock.releaseLock(held);
    await sleep(50);
    expect(messages).toEqual([`${namespace}:pub`]);
    await subscriber.quit();
  });

  it('extendLock and renewLock set the ttl from now, only for the owner', async () => {
    const held = await lock.acquireLock('ext', 1000);
    expect(await lock.extendLock(held, 6000)).toEqual({
      id: 'ext',
      success: true,
      index: held.index,
      ttl: 6000,
    });
    expect(await admin.pttl(`${namespace}:ext`)).toBeGreaterThan(5800);
    expect(await lock.renewLock(held, 7000)).toEqual({
      id: 'ext',
      success: true,
      result: 'renewed',
      index: held.index,
    });
    expect(await lock.extendLock({ id: 'ext', index: held.index }, 9000)).toMatchObject({ success: false });
    expect(await lock.renewLock({ id: 'ext', index: held.index }, 9000)).toMatchObject({
      result: 'conflict',
    });
    await lock.releaseLock(held);
    expect(await lock.renewLock(held, 9000)).toEqual({
      id: 'ext',
      success: false,
      result: 'missing',
      index: -1,
    });
  });

  it('waitAcquireLock: immediate on a free lock, woken by the release (not by a timer)', async () => {
    const free = await lock.waitAcquireLock('wait', 5000, 1000);
    expect(free).toMatchObject({ success: true, immediate: true });
    const waiter = make({ fallbackInterval: 5000 });
    const started = performance.now();
    const waiting = waiter.waitAcquireLock('wait', 5000, 8000);
    await sleep(100);
    await lock.releaseLock(free);
    const acquired = await waiting;
    expect(acquired).toMatchObject({ id: 'wait', success: true, immediate: false, ttl: 5000 });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await waiter.releaseLock(acquired)).toMatchObject({ result: 'released' });
  });

  it('waitAcquireLock: when the window ends, a last attempt resolves success:false (no rejection)', async () => {
    const held = await lock.acquireLock('window', 10_000);
    const started = performance.now();
    const result = await lock.waitAcquireLock('window', 1000, 300);
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ id: 'window', success: false, index: -1, immediate: false });
    expect(elapsed).toBeGreaterThan(250);
    expect(elapsed).toBeLessThan(300 + 400);
    await lock.releaseLock(held);
  });

  it('waitAcquireLock: waitTtl <= 0 waits as long as it takes', async () => {
    for (const waitTtl of [0, -1]) {
      const held = await lock.acquireLock('forever', 10_000);
      const waiting = lock.waitAcquireLock('forever', 1000, waitTtl);
      await sleep(400);
      await lock.releaseLock(held);
      const acquired = await waiting;
      expect(acquired.success).toBe(true);
      await lock.releaseLock(acquired);
    }
  });

  it('callbacks: every method calls back (err, result) and returns undefined', async () => {
    const acquired = await new Promise<any>((resolve, reject) => {
      const returned = lock.acquireLock('cb', 5000, (err, result) => (err ? reject(err) : resolve(result)));
      expect(returned).toBeUndefined();
    });
    expect(acquired.success).toBe(true);
    const extended = await new Promise<any>((resolve, reject) =>
      lock.extendLock(acquired, 6000, (err, result) => (err ? reject(err) : resolve(result))),
    );
    expect(extended.success).toBe(true);
    const released = await new Promise<any>((resolve, reject) =>
      lock.releaseLock(acquired, (err, result) => (err ? reject(err) : resolve(result))),
    );
    expect(released.result).toBe('released');
    const waited = await new Promise<any>((resolve, reject) =>
      lock.waitAcquireLock('cb', 5000, 100, (err, result) => (err ? reject(err) : resolve(result))),
    );
    expect(waited.immediate).toBe(true);
    await lock.releaseLock(waited);
    // Redis errors reach the callback.
    await admin.set(`${namespace}:cb-wrong`, 'x');
    const error = await new Promise<unknown>((resolve) =>
      lock.releaseLock({ id: 'cb-wrong', index: 1 }, (err) => resolve(err)),
    );
    expect(String(error)).toMatch(/WRONGTYPE/);
    await admin.del(`${namespace}:cb-wrong`);
  });

  it('minReplications without replicas: rolls back and resolves replicationFailure after the budget', async () => {
    const strict = make({ minReplications: 1, replicationTimeout: 150 });
    await expect(strict.acquireLock('repl', 100)).rejects.toThrow(/Minimum TTL: 225ms/);
    const started = performance.now();
    const result = await strict.acquireLock('repl', 5000);
    expect(result).toEqual({ id: 'repl', success: false, replicationFailure: true, index: -1, ttl: 0 });
    expect(performance.now() - started).toBeGreaterThan(100);
    expect(await admin.exists(`${namespace}:repl`)).toBe(0);
  });

  it('accepts existing clients (redisConnection wins over redis) and never quits them', async () => {
    const ioredis = connect();
    const nodeRedis = createClient({ url: redisUrl() });
    await nodeRedis.connect();
    for (const client of [ioredis, nodeRedis]) {
      const instance = new Lock({ redis: 'redis://127.0.0.1:1', redisConnection: client, namespace });
      const held = await instance.acquireLock('given', 5000);
      expect(held.success).toBe(true);
      const waiting = instance.waitAcquireLock('given', 5000, 3000);
      await sleep(50);
      await instance.releaseLock(held);
      await instance.releaseLock(await waiting);
      await instance.close();
    }
    expect(await ioredis.ping()).toBe('PONG');
    expect(await nodeRedis.ping()).toBe('PONG');
    await ioredis.quit();
    await nodeRedis.close();
  });

  it('close()/quit() end the connections it opened; later calls reject', async () => {
    const tag = uniqueKey('conn');
    const countNamed = async () =>
      String(await admin.call('CLIENT', 'LIST'))
        .split('\n')
        .filter((line) => line.includes(`name=${tag}`)).length;
    const instance = new Lock({ redis: { ...parseUrl(redisUrl()), connectionName: tag }, namespace });
    const held = await instance.acquireLock('close', 5000);
    const waiting = instance.waitAcquireLock('close', 5000, 5000);
    await sleep(50);
    expect(await countNamed()).toBe(2);
    await instance.releaseLock(held);
    await instance.releaseLock(await waiting);
    await instance.quit();
    await sleep(50);
    expect(await countNamed()).toBe(0);
    await expect(instance.acquireLock('close', 1000)).rejects.toMatchObject({ code: 'LOCK_CLOSED' });
  });

  it('close() ends at once while the server is down, with a waiter subscribed, and nothing reconnects', async () => {
    const server = await startRedis();
    const instance = new Lock({ redis: server.url, namespace });
    try {
      const held = await instance.acquireLock('down', 5000);
      expect(held.success).toBe(true);
      const waiting = instance.waitAcquireLock('down', 5000, 3000).catch((error: unknown) => error);
      await sleep(50);
      await server.kill();
      const started = performance.now();
      await instance.close();
      // QUIT on a client whose server is down would wait for the server to come back.
      expect(performance.now() - started).toBeLessThan(1000);
      await waiting;
      await server.restart();
      // A connection left reconnecting would be back within its backoff (a few hundred ms here).
      await sleep(1500);
      const others = await withClient(server.url, async (redis) =>
        String(await redis.call('CLIENT', 'LIST'))
          .trim()
          .split('\n'),
      );
      expect(others).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });
});

function parseUrl(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

describe('drop-ins on a password-protected server', () => {
  let server: Awaited<ReturnType<typeof startRedis>>;
  beforeAll(async () => {
    server = await startRedis();
    await withClient(server.url, (c) => c.call('CONFIG', 'SET', 'requirepass', 'sesame'));
  }, 30_000);
  afterAll(async () => {
    const admin = new Redis(server.url, { password: 'sesame' });
    await admin.call('CONFIG', 'SET', 'requirepass', '');
    await admin.quit();
    await server?.stop();
  });

  it.each(flavors)('$name: the subscriber derived from a given client keeps its AUTH', async ({ Lock }) => {
    const url = new URL(server.url);
    const ioredis = new Redis({ host: url.hostname, port: Number(url.port), password: 'sesame' });
    const nodeRedis = createClient({ url: server.url, password: 'sesame' });
    await nodeRedis.connect();
    const fromOptions = new Lock({
      redis: { host: url.hostname, port: Number(url.port), password: 'sesame' },
    });
    try {
      for (const instance of [new Lock({ redis: ioredis }), new Lock({ redis: nodeRedis }), fromOptions]) {
        const held = await instance.acquireLock('auth', 10_000);
        const started = performance.now();
        const waiting = instance.waitAcquireLock('auth', 1000, 5000);
        await sleep(100);
        await instance.releaseLock(held);
        const acquired = await waiting;
        expect(acquired.success).toBe(true);
        expect(performance.now() - started).toBeLessThan(800);
        await instance.releaseLock(acquired);
        await instance.close();
      }
    } finally {
      await ioredis.quit();
      await nodeRedis.close();
    }
  });
});
