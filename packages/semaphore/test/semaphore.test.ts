import { isLockError, type RedisAdapter, toAdapter } from '@redis-locks/core';
import { listKeys, pubsubChannels, uniqueKey } from '@redis-locks/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSemaphore, DEFAULT_SEMAPHORE_NAMESPACE } from '../src/index.js';
import { connect, countingAdapter, redisUrl, sleep } from './helpers.js';

describe('createSemaphore', () => {
  let client: Redis;
  beforeAll(() => {
    client = connect();
  });
  afterAll(async () => {
    await client.quit();
  });

  it('validates its options before touching Redis', () => {
    expect(() => createSemaphore({ client: {} })).toThrow(/options\.client must be/);
    expect(() => createSemaphore({ client, namespace: 'a{b}' })).toThrow(/options\.namespace/);
    expect(() => createSemaphore({ client, fair: 'yes' as never })).toThrow(/options\.fair/);
    expect(() => createSemaphore({ client, fallbackInterval: 0 })).toThrow(/options\.fallbackInterval/);
    expect(() => createSemaphore({ client, fallbackInterval: 100, queueEntryTtl: 100 })).toThrow(
      /queueEntryTtl/,
    );
    expect(() => createSemaphore({ client, replication: { minReplicas: -1, timeout: 10 } })).toThrow(
      /minReplicas/,
    );
    expect(() => createSemaphore({ client, replication: { minReplicas: 1, timeout: 0 } })).toThrow(
      /replication\.timeout/,
    );
  });

  it('declares its capabilities; fair reflects the instance', async () => {
    const plain = createSemaphore({ client });
    const fair = createSemaphore({ client, fair: true });
    expect(plain.name).toBe('semaphore');
    expect(plain.namespace).toBe(DEFAULT_SEMAPHORE_NAMESPACE);
    expect(plain.capabilities).toEqual({
      fencing: true,
      wakeup: 'pubsub',
      multiNode: false,
      replicationCheck: true,
      fair: false,
    });
    expect(fair.capabilities.fair).toBe(true);
    await Promise.all([plain.close(), fair.close()]);
  });

  it('stores a hash (token, index) plus a per-resource counter, under one hash tag', async () => {
    const namespace = uniqueKey('sem-layout');
    const semaphore = createSemaphore({ client, namespace });
    const lock = await semaphore.acquire('job:1', { ttl: 5000 });
    const keys = semaphore.keysOf('job:1');
    expect(keys.lock).toBe(`${namespace}:{job:1}`);
    expect(await client.hgetall(keys.lock)).toEqual({ token: lock.token, index: String(lock.fencingToken) });
    expect(await client.get(keys.fence)).toBe(String(lock.fencingToken));
    expect(await semaphore.inspect('job:1')).toMatchObject({ resource: 'job:1', fencingToken: 1 });
    await lock.release();
    expect(await listKeys(redisUrl(), `${namespace}*`)).toEqual([keys.fence]);
    await client.del(keys.fence);
    await semaphore.close();
  });

  it('uncontended acquire and release are one round trip each, with no subscription', async () => {
    const namespace = uniqueKey('sem-rtt');
    const { adapter, calls } = countingAdapter(client);
    const semaphore = createSemaphore({ client: adapter, namespace });
    const lock = await semaphore.acquire('r', { ttl: 1000 });
    await lock.release();
    expect(calls.map((c) => c.script)).toEqual(['semaphore_acquire', 'semaphore_release']);
    expect(await pubsubChannels(redisUrl(), `${namespace}*`)).toEqual([]);
    await semaphore.close();
    await adapter.close();
    await client.del(semaphore.keysOf('r').fence);
  });

  it('wakes a waiter by notification long before the fallback re-check', async () => {
    const namespace = uniqueKey('sem-wake');
    const a = createSemaphore({ client, namespace, fallbackInterval: 5000 });
    const b = createSemaphore({ client, namespace, fallbackInterval: 5000 });
    const holder = await a.acquire('r', { ttl: 10_000 });
    const started = performance.now();
    const waiting = b.acquire('r', { ttl: 1000, waitTimeout: 8000 });
    await sleep(100);
    await holder.release();
    const lock = await waiting;
    expect(performance.now() - started).toBeLessThan(100 + 1000);
    expect(lock.fencingToken).toBe((holder.fencingToken ?? 0) + 1);
    await lock.release();
    await Promise.all([a.close(), b.close()]);
    await client.del(a.keysOf('r').fence);
  });

  it("a release wakes only that resource's waiters, over one shared subscription", async () => {
    const namespace = uniqueKey('sem-herd');
    const { adapter, calls } = countingAdapter(client);
    const waiters = createSemaphore({ client: adapter, namespace, fallbackInterval: 5000 });
    const holders = createSemaphore({ client, namespace });
    const h1 = await holders.acquire('one', { ttl: 10_000 });
    const h2 = await holders.acquire('two', { ttl: 10_000 });
    const w1 = waiters.acquire('one', { ttl: 1000, waitTimeout: 8000 });
    const w2 = waiters.acquire('two', { ttl: 1000, waitTimeout: 8000 });
    await sleep(150);
    expect(await pubsubChannels(redisUrl(), `${namespace}*`)).toEqual([`${namespace}:released`]);
    const attemptsOn = (resource: string) =>
      calls.filter((c) => c.script === 'semaphore_acquire' && c.keys[0] === waiters.keysOf(resource).lock)
        .length;
    const before = attemptsOn('two');
    await h1.release();
    await (await w1).release();
    await sleep(100);
    expect(attemptsOn('two'), 'the waiter of another resource was woken').toBe(before);
    await h2.release();
    await (await w2).release();
    await Promise.all([waiters.close(), holders.close()]);
    await adapter.close();
    await client.del(waiters.keysOf('one').fence, waiters.keysOf('two').fence);
  });

  it('a release wakes one waiter of the instance, the one waiting longest (fair: false)', async () => {
    const namespace = uniqueKey('sem-wake-one');
    const { adapter, calls } = countingAdapter(client);
    const waiters = createSemaphore({ client: adapter, namespace, fallbackInterval: 5000 });
    const holders = createSemaphore({ client, namespace });
    const holder = await holders.acquire('r', { ttl: 10_000 });
    const order: number[] = [];
    const pending = [0, 1, 2, 3].map(async (i) => {
      await sleep(i * 30);
      const lock = await waiters.acquire('r', { ttl: 2000, waitTimeout: 8000 });
      order.push(i);
      return lock;
    });
    await sleep(250);
    const attempts = () => calls.filter((c) => c.script === 'semaphore_acquire').length;
    const before = attempts();
    await holder.release();
    await vi.waitUntil(() => order.length === 1, { timeout: 2000, interval: 5 });
    await sleep(100);
    expect(attempts() - before, 'one release, one woken waiter, one attempt').toBe(1);
    expect(order).toEqual([0]);
    // Each later release goes to the next oldest waiter of this instance.
    for (const index of [0, 1, 2]) await (await pending[index])!.release();
    await (await pending[3])!.release();
    expect(order).toEqual([0, 1, 2, 3]);
    await Promise.all([waiters.close(), holders.close()]);
    await adapter.close();
    await client.del(waiters.keysOf('r').fence);
  });

  it('keeps the channel for fallbackInterval after the last waiter, and close() ends it at once', async () => {
    const namespace = uniqueKey('sem-linger');
    const channels = () => pubsubChannels(redisUrl(), `${namespace}*`);
    const semaphore = createSemaphore({ client, namespace, fallbackInterval: 400 });
    const other = createSemaphore({ client, namespace });
    const wait = async () => {
      const holder = await other.acquire('r', { ttl: 5000 });
      const waiting = semaphore.acquire('r', { ttl: 1000, waitTimeout: 4000 });
      await sleep(50);
      await holder.release();
      await (await waiting).release();
    };
    await wait();
    expect(await channels(), 'still subscribed right after the wait').toEqual([`${namespace}:released`]);
    const gone = await vi.waitUntil(async () => (await channels()).length === 0, {
      timeout: 400 + 1500,
      interval: 25,
    });
    expect(gone).toBe(true);
    await wait();
    expect(await channels()).toEqual([`${namespace}:released`]);
    await semaphore.close();
    expect(await channels(), 'close() ends a lingering subscription').toEqual([]);
    await other.close();
    await client.del(semaphore.keysOf('r').fence);
  });

  it('never subscribes for a waiter whose first attempt was on the wire when close() ran', async () => {
    const namespace = uniqueKey('sem-close-race');
    const inner = toAdapter(client);
    let attemptAnswered!: () => void;
    const answered = new Promise<void>((resolve) => {
      attemptAnswered = resolve;
    });
    let letReplyThrough!: () => void;
    const replyHeld = new Promise<void>((resolve) => {
      letReplyThrough = resolve;
    });
    let subscribes = 0;
    // The user's own adapter: close() does not close it, so a late subscription would outlive the strategy.
    const adapter: RedisAdapter = {
      kind: 'held-reply',
      isCluster: false,
      evalScript: async (script, keys, args) => {
        const reply = await inner.evalScript(script, keys, args);
        if (script.name === 'semaphore_acquire') {
          attemptAnswered();
          await replyHeld;
        }
        return reply;
      },
      subscribe: (channel, listener, options) => {
        subscribes++;
        return inner.subscribe(channel, listener, options);
      },
      close: () => inner.close(),
    };
    const holders = createSemaphore({ client, namespace });
    const semaphore = createSemaphore({ client: adapter, namespace });
    const holder = await holders.acquire('r', { ttl: 5000 });
    const waiting = semaphore.acquire('r', { ttl: 1000, waitTimeout: 4000 }).catch((error: unknown) => error);
    await answered;
    const closing = semaphore.close();
    letReplyThrough();
    await closing;
    expect(await waiting).toMatchObject({ code: 'LOCK_CLOSED' });
    expect(subscribes).toBe(0);
    expect(await pubsubChannels(redisUrl(), `${namespace}*`)).toEqual([]);
    await holder.release();
    await holders.close();
    await inner.close();
    await client.del(semaphore.keysOf('r').fence);
  });

  it('stops waiting for an attempt Redis does not answer at its deadline, an abort or close(), and releases it if it wins later', async () => {
    const namespace = uniqueKey('sem-stuck');
    const inner = toAdapter(client);
    // Attempts are held back (not sent) until the test lets them go.
    const heldBack: (() => void)[] = [];
    const adapter: RedisAdapter = {
      kind: 'held-back',
      isCluster: false,
      evalScript: (script, keys, args) =>
        script.name === 'semaphore_acquire'
          ? new Promise((resolve, reject) => {
              heldBack.push(() => inner.evalScript(script, keys, args).then(resolve, reject));
            })
          : inner.evalScript(script, keys, args),
      subscribe: (channel, listener, options) => inner.subscribe(channel, listener, options),
      close: () => inner.close(),
    };
    const semaphore = createSemaphore({ client: adapter, namespace });
    const letGoAndCheckNothingHeld = async () => {
      for (const letGo of heldBack.splice(0)) letGo();
      await sleep(100);
      expect(await client.exists(semaphore.keysOf('r').lock), 'a late winner kept its lock').toBe(0);
    };

    let started = performance.now();
    const late = await semaphore.acquire('r', { ttl: 5000, waitTimeout: 200 }).catch((e: unknown) => e);
    expect(late).toMatchObject({ code: 'LOCK_TIMEOUT' });
    // The deadline, plus a grace of 1 s for an answer that is merely slow.
    expect(performance.now() - started).toBeGreaterThan(1000);
    expect(performance.now() - started).toBeLessThan(200 + 1000 + 500);
    await letGoAndCheckNothingHeld();

    const controller = new AbortController();
    const aborted = semaphore
      .acquire('r', { ttl: 5000, waitTimeout: 5000, signal: controller.signal })
      .catch((e: unknown) => e);
    await sleep(50);
    started = performance.now();
    controller.abort();
    expect(await aborted).toMatchObject({ code: 'LOCK_ABORTED' });
    expect(performance.now() - started).toBeLessThan(500);
    await letGoAndCheckNothingHeld();

    const cut = semaphore.acquire('r', { ttl: 5000, waitTimeout: 5000 }).catch((e: unknown) => e);
    await sleep(50);
    started = performance.now();
    await semaphore.close();
    expect(await cut).toMatchObject({ code: 'LOCK_CLOSED' });
    expect(performance.now() - started).toBeLessThan(500);
    await letGoAndCheckNothingHeld();
    await inner.close();
    await client.del(semaphore.keysOf('r').fence);
  });

  it('fencing tokens strictly increase per resource across holders', async () => {
    const namespace = uniqueKey('sem-fence');
    const semaphore = createSemaphore({ client, namespace });
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      const lock = await semaphore.acquire('r', { ttl: 1000 });
      seen.push(lock.fencingToken!);
      await lock.release();
    }
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    await semaphore.close();
    await client.del(semaphore.keysOf('r').fence);
  });

  it('surfaces a key of another type as a LockRedisError with the WRONGTYPE cause', async () => {
    const namespace = uniqueKey('sem-wrongtype');
    const semaphore = createSemaphore({ client, namespace });
    await client.set(semaphore.keysOf('r').lock, 'x');
    const error = await semaphore.release({ resource: 'r', token: 't' } as never).catch((e: unknown) => e);
    expect(isLockError(error)).toBe(true);
    expect(String((error as Error).cause)).toMatch(/WRONGTYPE/);
    await client.del(semaphore.keysOf('r').lock);
    await semaphore.close();
  });
});
