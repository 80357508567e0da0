import { createChaosProxy, type Nodes, startNodes, uniqueKey } from '@redis-locks/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Redlock from '../src/redlock-async.js';
import { ioredis, nodeRedis, quit, sleep } from './helpers.js';

let nodes: Nodes;
let clients: Redis[];
const opened: unknown[] = [];

const fast = { retryDelay: 20, retryJitter: 0 };

/** Values of `resource` on every node. */
function valuesOf(resource: string): Promise<(string | null)[]> {
  return Promise.all(clients.map((c) => c.get(resource)));
}

beforeAll(async () => {
  nodes = await startNodes(3);
  clients = nodes.nodes.map((n) => ioredis(n.url));
}, 60_000);

afterAll(async () => {
  await Promise.all([...clients, ...opened].map(quit));
  await nodes?.stop();
});

describe('redlock-async drop-in: constructor and options', () => {
  it('throws the original message without clients', () => {
    expect(() => new Redlock([])).toThrow('Redlock must be instantiated with at least one redis server.');
  });

  it('is an EventEmitter exposing LockError and Lock', () => {
    const redlock = new Redlock(clients);
    expect(typeof redlock.on).toBe('function');
    expect(typeof redlock.emit).toBe('function');
    expect(new Redlock.LockError('x', 2)).toBeInstanceOf(Error);
    expect(new Redlock.LockError('x', 2).attempts).toBe(2);
    expect(new Redlock.LockError().message).toBe('Failed to lock the resource.');
    expect(typeof Redlock.Lock).toBe('function');
  });

  it('takes an option only when it is a number, so 0 counts and strings fall back to defaults', () => {
    const defaults = new Redlock(clients);
    expect([defaults.driftFactor, defaults.retryCount, defaults.retryDelay, defaults.retryJitter]).toEqual([
      0.01, 10, 200, 100,
    ]);
    const zeros = new Redlock(clients, { driftFactor: 0, retryCount: 0, retryDelay: 0, retryJitter: 0 });
    expect([zeros.driftFactor, zeros.retryCount, zeros.retryDelay, zeros.retryJitter]).toEqual([0, 0, 0, 0]);
    const strings = new Redlock(clients, { retryCount: '3', retryDelay: '5' } as never);
    expect([strings.retryCount, strings.retryDelay]).toEqual([10, 200]);
  });
});

describe('redlock-async drop-in: lock, unlock, extend', () => {
  it('locks the resource key itself on every node with a 16-byte hex value', async () => {
    const redlock = new Redlock(clients);
    const resource = uniqueKey('ra-lock');
    const start = Date.now();
    const lock = await redlock.lock(resource, 2000);
    expect(lock).toBeInstanceOf(Redlock.Lock);
    expect(lock.redlock).toBe(redlock);
    expect(lock.resource).toBe(resource);
    expect(lock.value).toMatch(/^[0-9a-f]{32}$/);
    expect(lock.attempts).toBe(1);
    // drift = round(0.01 × 2000) + 2 = 22
    expect(lock.expiration).toBeGreaterThanOrEqual(start + 2000 - 22);
    expect(lock.expiration).toBeLessThanOrEqual(Date.now() + 2000 - 22);
    await sleep(20);
    expect(await valuesOf(resource)).toEqual([lock.value, lock.value, lock.value]);
    await lock.unlock();
    expect(lock.expiration).toBe(0);
    expect(await valuesOf(resource)).toEqual([null, null, null]);
  });

  it('acquire and release are aliases of lock and unlock', async () => {
    const redlock = new Redlock(clients, { retryCount: 0 });
    const resource = uniqueKey('ra-alias');
    const lock = await redlock.acquire(resource, 2000);
    await expect(
      redlock.acquire(resource, 2000).then(
        () => 'locked',
        (e: Error) => e.name,
      ),
    ).resolves.toBe('LockError');
    await redlock.release(lock);
    expect(await valuesOf(resource)).toEqual([null, null, null]);
  });

  it('rejects with LockError, the exact message and attempts once retries are spent, leaving no partial keys', async () => {
    const redlock = new Redlock(clients, { retryCount: 2, ...fast });
    const resource = uniqueKey('ra-busy');
    await clients[0]!.set(resource, 'other', 'PX', 5000);
    await clients[1]!.set(resource, 'other', 'PX', 5000);
    const error = (await redlock.lock(resource, 1000).catch((e) => e)) as InstanceType<
      typeof Redlock.LockError
    >;
    expect(error).toBeInstanceOf(Redlock.LockError);
    expect(error.name).toBe('LockError');
    expect(error.message).toBe(`Exceeded 2 attempts to lock the resource "${resource}".`);
    expect(error.attempts).toBe(3);
    expect(await valuesOf(resource)).toEqual(['other', 'other', null]);
    await Promise.all(clients.map((c) => c.del(resource)));
  });

  it('retryCount 0 makes exactly one attempt', async () => {
    const redlock = new Redlock(clients, { retryCount: 0 });
    const resource = uniqueKey('ra-once');
    const lock = await redlock.lock(resource, 2000);
    const error = (await redlock.lock(resource, 1000).catch((e) => e)) as InstanceType<
      typeof Redlock.LockError
    >;
    expect(error.message).toBe(`Exceeded 0 attempts to lock the resource "${resource}".`);
    expect(error.attempts).toBe(1);
    await lock.unlock();
  });

  it('retryCount -1 retries until the lock is free', async () => {
    const redlock = new Redlock(clients, { retryCount: -1, ...fast });
    const resource = uniqueKey('ra-forever');
    const holder = await redlock.lock(resource, 5000);
    const waiting = redlock.lock(resource, 2000);
    await sleep(300);
    await holder.unlock();
    const lock = await waiting;
    expect(lock.attempts).toBeGreaterThan(3);
    await lock.unlock();
  });

  it('unlock is idempotent: an already released or expired lock still resolves', async () => {
    const redlock = new Redlock(clients);
    const resource = uniqueKey('ra-idem');
    const lock = await redlock.lock(resource, 100);
    await lock.unlock();
    await lock.unlock();
    const expired = await redlock.lock(resource, 50);
    await sleep(100);
    await expect(expired.unlock()).resolves.toBeUndefined();
  });

  it('unlock never deletes a lock another owner took over', async () => {
    const redlock = new Redlock(clients);
    const resource = uniqueKey('ra-takeover');
    const stale = await redlock.lock(resource, 50);
    await sleep(100);
    const current = await redlock.lock(resource, 5000);
    await stale.unlock();
    expect(await valuesOf(resource)).toEqual([current.value, current.value, current.value]);
    await current.unlock();
  });

  it('extend resolves the same Lock object with a later expiration and a longer key ttl', async () => {
    const redlock = new Redlock(clients);
    const resource = uniqueKey('ra-extend');
    const lock = await redlock.lock(resource, 500);
    const before = lock.expiration;
    const value = lock.value;
    const extended = await lock.extend(5000);
    expect(extended).toBe(lock);
    expect(lock.value).toBe(value);
    expect(lock.expiration).toBeGreaterThan(before + 4000);
    // Extend settles at a quorum; the last node's PEXPIRE lands right after.
    const extendedOn = async () =>
      (await Promise.all(clients.map((c) => c.pttl(resource)))).every((t) => t > 4000);
    for (let i = 0; i < 50 && !(await extendedOn()); i++) await sleep(10);
    for (const c of clients) expect(await c.pttl(resource)).toBeGreaterThan(4000);
    expect(await redlock.extend(lock, 3000)).toBe(lock);
    await lock.unlock();
  });

  it('rejects extending an expired lock with the original message', async () => {
    const redlock = new Redlock(clients);
    const resource = uniqueKey('ra-extend-expired');
    const lock = await redlock.lock(resource, 50);
    await sleep(100);
    const error = (await lock.extend(1000).catch((e) => e)) as InstanceType<typeof Redlock.LockError>;
    expect(error).toBeInstanceOf(Redlock.LockError);
    expect(error.message).toBe(
      `Cannot extend lock on resource "${resource}" because the lock has already expired.`,
    );
    expect(error.attempts).toBe(0);
    expect(await valuesOf(resource)).toEqual([null, null, null]);
  });

  it('a failed extension keeps the lock on the nodes where it is still held (no unlock)', async () => {
    const redlock = new Redlock(clients, { retryCount: 3, ...fast });
    const resource = uniqueKey('ra-extend-lost');
    const lock = await redlock.lock(resource, 5000);
    await clients[0]!.del(resource);
    await clients[1]!.set(resource, 'thief', 'PX', 5000);
    const error = (await lock.extend(5000).catch((e) => e)) as InstanceType<typeof Redlock.LockError>;
    expect(error).toBeInstanceOf(Redlock.LockError);
    expect(error.message).toMatch(/Cannot extend lock on resource/);
    // A lock a quorum no longer holds is not retried.
    expect(error.attempts).toBe(1);
    expect(await valuesOf(resource)).toEqual([null, 'thief', lock.value]);
    await Promise.all(clients.map((c) => c.del(resource)));
  });

  it('retries an extension that failing nodes kept from a quorum, then rejects without unlocking', async () => {
    const redlock = new Redlock(clients, { retryCount: 2, ...fast });
    const errors: unknown[] = [];
    redlock.on('clientError', (e) => errors.push(e));
    const resource = uniqueKey('ra-extend-errors');
    const lock = await redlock.lock(resource, 5000);
    for (const c of clients.slice(0, 2)) {
      await c.del(resource);
      await c.hset(resource, 'f', 'v');
    }
    const error = (await lock.extend(5000).catch((e) => e)) as InstanceType<typeof Redlock.LockError>;
    expect(error.message).toBe(`Exceeded 2 attempts to lock the resource "${resource}".`);
    expect(error.attempts).toBe(3);
    expect(errors).toHaveLength(6);
    expect(await clients[2]!.get(resource)).toBe(lock.value);
    await Promise.all(clients.map((c) => c.del(resource)));
  });
});

describe('redlock-async drop-in: failures', () => {
  it('emits clientError once per failing node response and still locks on the quorum', async () => {
    const dead = ioredis('redis://127.0.0.1:1', { enableOfflineQueue: false, lazyConnect: true });
    opened.push(dead);
    const redlock = new Redlock([clients[0], clients[1], dead]);
    const errors: unknown[] = [];
    redlock.on('clientError', (e) => errors.push(e));
    const resource = uniqueKey('ra-dead');
    const lock = await redlock.lock(resource, 2000);
    await sleep(20);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(Error);
    await lock.unlock();
    expect(errors).toHaveLength(2);
  });

  it('rejects unlock with the original message when a quorum cannot confirm it', async () => {
    const redlock = new Redlock(clients);
    const errors: unknown[] = [];
    redlock.on('clientError', (e) => errors.push(e));
    const resource = uniqueKey('ra-unlock-fail');
    const lock = await redlock.lock(resource, 5000);
    for (const c of clients.slice(0, 2)) {
      await c.del(resource);
      await c.hset(resource, 'f', 'v');
    }
    const error = (await lock.unlock().catch((e) => e)) as InstanceType<typeof Redlock.LockError>;
    expect(error).toBeInstanceOf(Redlock.LockError);
    expect(error.message).toBe(`Unable to fully release the lock on resource "${resource}".`);
    expect(errors.map((e) => String((e as Error).message))).toEqual([
      expect.stringMatching(/WRONGTYPE/),
      expect.stringMatching(/WRONGTYPE/),
    ]);
    await Promise.all(clients.map((c) => c.del(resource)));
  });

  it('never waits on a hung node: lock settles on the quorum, unlock within the request timeout', async () => {
    const proxy = await createChaosProxy({ host: nodes.nodes[2]!.host, port: nodes.nodes[2]!.port });
    const behind = ioredis(proxy.url);
    opened.push(behind);
    try {
      await behind.ping();
      proxy.blackhole(true);
      const redlock = new Redlock([clients[0], clients[1], behind], { requestTimeout: 300 });
      const errors: unknown[] = [];
      redlock.on('clientError', (e) => errors.push(e));
      const resource = uniqueKey('ra-hung');
      const started = performance.now();
      const lock = await redlock.lock(resource, 5000);
      expect(performance.now() - started).toBeLessThan(250);
      const unlocking = performance.now();
      await lock.unlock();
      expect(performance.now() - unlocking).toBeLessThan(300 + 250);
      expect(errors.length).toBe(1);
    } finally {
      proxy.heal();
      await quit(behind);
      await proxy.close();
    }
  });

  it('resolves an even split of two nodes instead of hanging', async () => {
    const redlock = new Redlock(clients.slice(0, 2), { retryCount: 0 });
    const resource = uniqueKey('ra-split');
    await clients[0]!.set(resource, 'other', 'PX', 5000);
    await expect(redlock.lock(resource, 1000)).rejects.toThrow(/Exceeded 0 attempts/);
    expect(await clients[1]!.exists(resource)).toBe(0);
    await clients[0]!.del(resource);
  });

  it('quit really quits every client', async () => {
    const own = [
      ioredis(nodes.nodes[0]!.url),
      await nodeRedis(nodes.nodes[1]!.url),
      ioredis(nodes.nodes[2]!.url),
    ];
    const redlock = new Redlock(own);
    const lock = await redlock.lock(uniqueKey('ra-quit'), 1000);
    await lock.unlock();
    const replies = await redlock.quit();
    expect(replies).toHaveLength(3);
    // ioredis reaches 'end' once the socket closed, right after QUIT's reply.
    for (let i = 0; i < 50 && (own[0] as Redis).status !== 'end'; i++) await sleep(10);
    for (let i = 0; i < 50 && (own[2] as Redis).status !== 'end'; i++) await sleep(10);
    expect((own[0] as Redis).status).toBe('end');
    expect((own[1] as { isOpen: boolean }).isOpen).toBe(false);
    expect((own[2] as Redis).status).toBe('end');
  });
});

describe('redlock-async drop-in: custom scripts and clients', () => {
  it('runs custom Lua strings as given (the original v3 scripts)', async () => {
    const lockScript = 'return redis.call("set", KEYS[1], ARGV[1], "NX", "PX", ARGV[2])';
    const unlockScript =
      'if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end';
    const extendScript =
      'if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end';
    const seen: string[] = [];
    const redlock = new Redlock(clients, {
      retryCount: 0,
      lockScript: (origin: string) => {
        seen.push(origin);
        return lockScript;
      },
      unlockScript: () => unlockScript,
      extendScript: () => extendScript,
    });
    expect(seen[0]).toMatch(/SET/);
    expect(redlock.lockScript).toBe(lockScript);
    const resource = uniqueKey('ra-custom');
    const lock = await redlock.lock(resource, 1000);
    await expect(redlock.lock(resource, 1000)).rejects.toThrow(/Exceeded 0 attempts/);
    await lock.extend(5000);
    expect(await clients[0]!.pttl(resource)).toBeGreaterThan(4000);
    await lock.unlock();
    expect(await valuesOf(resource)).toEqual([null, null, null]);
  });

  it('a custom lock script that refuses is a vote against', async () => {
    const redlock = new Redlock(clients, { retryCount: 0, lockScript: () => 'return 0' });
    await expect(redlock.lock(uniqueKey('ra-refuse'), 1000)).rejects.toThrow(/Exceeded 0 attempts/);
  });

  it('works with node-redis clients', async () => {
    const own = await Promise.all(nodes.nodes.map((n) => nodeRedis(n.url)));
    opened.push(...own);
    const redlock = new Redlock(own, { retryCount: 0 });
    const resource = uniqueKey('ra-node-redis');
    const lock = await redlock.lock(resource, 2000);
    await expect(redlock.lock(resource, 1000)).rejects.toThrow(/Exceeded 0 attempts/);
    expect(await lock.extend(3000)).toBe(lock);
    await lock.unlock();
    expect(await valuesOf(resource)).toEqual([null, null, null]);
  });
});
