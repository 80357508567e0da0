import type { Lock } from '@redis-locks/core';
import { semaphoreAcquire } from '@redis-locks/scripts';
import { listKeys, OverlapChecker, pubsubChannels, uniqueKey } from '@redis-locks/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSemaphore, type Semaphore } from '../src/index.js';
import { connect, countingAdapter, redisUrl, sleep } from './helpers.js';

describe('fair: FIFO queue with direct hand-off', () => {
  let client: Redis;
  const cleanup: string[] = [];
  const make = (namespace: string, options: Partial<Parameters<typeof createSemaphore>[0]> = {}) =>
    createSemaphore({ client, namespace, fair: true, ...options });
  const forget = (semaphore: Semaphore, resource: string) => cleanup.push(semaphore.keysOf(resource).fence);

  beforeAll(() => {
    client = connect();
  });
  afterAll(async () => {
    if (cleanup.length) await client.del(...cleanup);
    await client.quit();
  });

  it('hands the lock to waiters in arrival order, across instances', async () => {
    const namespace = uniqueKey('fair-order');
    const instances = [make(namespace), make(namespace), make(namespace)];
    forget(instances[0]!, 'r');
    const holder = await instances[0]!.acquire('r', { ttl: 10_000 });
    const order: number[] = [];
    const waiters: Promise<void>[] = [];
    for (let id = 0; id < 6; id++) {
      waiters.push(
        instances[id % 3]!.acquire('r', { ttl: 5000, waitTimeout: 8000 }).then(async (lock) => {
          order.push(id);
          await lock.release();
        }),
      );
      await sleep(60);
    }
    await holder.release();
    await Promise.all(waiters);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await listKeys(redisUrl(), `${namespace}*`)).toEqual([instances[0]!.keysOf('r').fence]);
    await Promise.all(instances.map((s) => s.close()));
  });

  it('a hand-off costs one release script: the new owner does not re-attempt', async () => {
    const namespace = uniqueKey('fair-direct');
    const { adapter, calls } = countingAdapter(client);
    const waiterSide = make(namespace, { client: adapter, fallbackInterval: 5000 });
    const holderSide = make(namespace);
    forget(holderSide, 'r');
    const holder = await holderSide.acquire('r', { ttl: 10_000 });
    const waiting = waiterSide.acquire('r', { ttl: 2000, waitTimeout: 8000 });
    await sleep(150);
    const attemptsBefore = calls.filter((c) => c.script === 'semaphore_acquire').length;
    const started = performance.now();
    await holder.release();
    const lock = await waiting;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(calls.filter((c) => c.script === 'semaphore_acquire').length).toBe(attemptsBefore);
    expect(lock.fencingToken).toBe(holder.fencingToken! + 1);
    expect(lock.expiresAt).toBeGreaterThan(Date.now() + 1500);
    expect(await client.hget(holderSide.keysOf('r').lock, 'token')).toBe(lock.token);
    await lock.release();
    await Promise.all([waiterSide.close(), holderSide.close()]);
    await adapter.close();
  });

  it('while the channel is still subscribed, a waiter needs one attempt in all: it listens before it', async () => {
    const namespace = uniqueKey('fair-one-attempt');
    const { adapter, calls } = countingAdapter(client);
    const waiterSide = make(namespace, { client: adapter, fallbackInterval: 5000 });
    const holderSide = make(namespace);
    forget(holderSide, 'r');
    const attempts = () => calls.filter((c) => c.script === 'semaphore_acquire').length;
    const handOff = async () => {
      const holder = await holderSide.acquire('r', { ttl: 10_000 });
      const before = attempts();
      const waiting = waiterSide.acquire('r', { ttl: 2000, waitTimeout: 8000 });
      await sleep(150);
      await holder.release();
      await (await waiting).release();
      return attempts() - before;
    };
    // The first wait subscribes, then re-checks once; the channel lingers for fallbackInterval after it.
    expect(await handOff()).toBe(2);
    expect(await handOff()).toBe(1);
    await Promise.all([waiterSide.close(), holderSide.close()]);
    await adapter.close();
  });

  it('a hand-off reaches only the instance that waits for it, on its own grant channel', async () => {
    const namespace = uniqueKey('fair-grant-channel');
    const bystanderSide = countingAdapter(client);
    const waiterSide = make(namespace, { fallbackInterval: 5000 });
    const bystander = make(namespace, { client: bystanderSide.adapter, fallbackInterval: 5000 });
    const holderSide = make(namespace);
    forget(holderSide, 'r');
    forget(holderSide, 'other');
    const blocker = await holderSide.acquire('other', { ttl: 10_000 });
    const bystanding = bystander.acquire('other', { ttl: 2000, waitTimeout: 8000 });
    const holder = await holderSide.acquire('r', { ttl: 10_000 });
    const waiting = waiterSide.acquire('r', { ttl: 2000, waitTimeout: 8000 });
    await sleep(150);
    const channels = await pubsubChannels(redisUrl(), `${namespace}*`);
    expect(channels.sort()).toEqual(
      [
        `${namespace}:released`,
        waiterSide.keysOf('r').grantChannel,
        bystander.keysOf('r').grantChannel,
      ].sort(),
    );
    await holder.release();
    const lock = await waiting;
    await sleep(100);
    expect(bystanderSide.messages, 'the bystander heard the hand-off').toEqual([]);
    // Its plain release (nobody queued) goes to the shared channel, which the bystander hears.
    await lock.release();
    await blocker.release();
    await (await bystanding).release();
    await Promise.all([waiterSide.close(), bystander.close(), holderSide.close()]);
    await bystanderSide.adapter.close();
  });

  it('a release by a non-fair instance wakes fair waiters at once (no fallback wait)', async () => {
    const namespace = uniqueKey('fair-mixed');
    const waiterSide = make(namespace, { fallbackInterval: 5000 });
    const holderSide = createSemaphore({ client, namespace });
    forget(holderSide, 'r');
    const holder = await holderSide.acquire('r', { ttl: 10_000 });
    const waiting = waiterSide.acquire('r', { ttl: 2000, waitTimeout: 8000 });
    await sleep(150);
    const started = performance.now();
    await holder.release();
    const lock = await waiting;
    expect(performance.now() - started).toBeLessThan(2000);
    await lock.release();
    await Promise.all([waiterSide.close(), holderSide.close()]);
  });

  it('no starvation: every contender gets its turn, and no two hold at once', async () => {
    const namespace = uniqueKey('fair-starve');
    const instances = [make(namespace), make(namespace)];
    forget(instances[0]!, 'hot');
    const checker = new OverlapChecker();
    const counts = new Array<number>(8).fill(0);
    const deadline = Date.now() + 1200;
    await Promise.all(
      counts.map(async (_, worker) => {
        while (Date.now() < deadline) {
          const lock: Lock = await instances[worker % 2]!.acquire('hot', { ttl: 2000, waitTimeout: 5000 });
          checker.acquired('hot', lock.token);
          counts[worker]!++;
          checker.released('hot', lock.token);
          await lock.release();
        }
      }),
    );
    checker.assertNoOverlap();
    const min = Math.min(...counts);
    const max = Math.max(...counts);
    expect(min).toBeGreaterThan(0);
    // FIFO hand-off: everyone re-queues behind the others, so turns stay within a small spread.
    expect(max - min).toBeLessThanOrEqual(2);
    await Promise.all(instances.map((s) => s.close()));
  });

  it('a waiter that gives up (timeout or abort) leaves the queue at once', async () => {
    const namespace = uniqueKey('fair-abandon');
    const a = make(namespace);
    const b = make(namespace);
    forget(a, 'r');
    const keys = a.keysOf('r');
    const holder = await a.acquire('r', { ttl: 10_000 });
    const controller = new AbortController();
    const timedOut = b.acquire('r', { ttl: 5000, waitTimeout: 200 }).catch((e: unknown) => e);
    const aborted = b
      .acquire('r', { ttl: 5000, waitTimeout: 8000, signal: controller.signal })
      .catch((e) => e);
    const patient = b.acquire('r', { ttl: 5000, waitTimeout: 8000 });
    await sleep(100);
    expect(await client.hlen(keys.waiters)).toBe(3);
    controller.abort();
    expect(await timedOut).toMatchObject({ code: 'LOCK_TIMEOUT' });
    expect(await aborted).toMatchObject({ code: 'LOCK_ABORTED' });
    expect(await client.hlen(keys.waiters)).toBe(1);
    const started = performance.now();
    await holder.release();
    const lock = await patient;
    expect(performance.now() - started).toBeLessThan(500);
    await lock.release();
    await Promise.all([a.close(), b.close()]);
  });

  it('a dead waiter blocks the queue for at most queueEntryTtl (plus the ttl it asked for, if handed the lock)', async () => {
    const namespace = uniqueKey('fair-dead');
    const semaphore = make(namespace, { fallbackInterval: 100, queueEntryTtl: 300 });
    forget(semaphore, 'r');
    const k = semaphore.keysOf('r');
    const fairKeys = [k.lock, k.fence, k.queue, k.waiters];
    const holder = await semaphore.acquire('r', { ttl: 10_000 });
    // A waiter that joined the queue and then crashed: its entry is never refreshed.
    await client.evalsha(semaphoreAcquire.sha1, 4, ...fairKeys, 'dead-waiter', 5000, 300);

    // Case 1: the entry expired before the release: the live waiter behind it is served at once.
    const live = semaphore.acquire('r', { ttl: 2000, waitTimeout: 5000 });
    await sleep(400);
    let started = performance.now();
    await holder.release();
    const first = await live;
    expect(performance.now() - started).toBeLessThan(300);

    // Case 2: the dead waiter is handed the lock (ttl 250) just before it would have expired:
    // the next waiter gets it when that ttl runs out, re-checked within fallbackInterval.
    await client.evalsha(semaphoreAcquire.sha1, 4, ...fairKeys, 'dead-again', 250, 300);
    const next = semaphore.acquire('r', { ttl: 2000, waitTimeout: 5000 });
    await sleep(50);
    started = performance.now();
    await first.release();
    expect(await client.hget(k.lock, 'token')).toBe('dead-again');
    const second = await next;
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThan(150);
    expect(waited).toBeLessThan(250 + 100 + 250);
    await second.release();
    expect(await listKeys(redisUrl(), `${namespace}*`)).toEqual([k.fence]);
    await semaphore.close();
  });

  it('tryAcquire never jumps the queue, and never joins it', async () => {
    const namespace = uniqueKey('fair-try');
    const semaphore = make(namespace);
    forget(semaphore, 'r');
    const holder = await semaphore.acquire('r', { ttl: 10_000 });
    const waiting = semaphore.acquire('r', { ttl: 2000, waitTimeout: 5000 });
    await sleep(80);
    expect(await semaphore.tryAcquire('r', { ttl: 1000 })).toBeNull();
    expect(await client.hlen(semaphore.keysOf('r').waiters)).toBe(1);
    await holder.release();
    await (await waiting).release();
    await semaphore.close();
  });
});
