import { observeAdapter, type RedisAdapter, toAdapter } from '@redis-locks/core';
import { uniqueKey } from '@redis-locks/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOptimisticLock, DEFAULT_OPTIMISTIC_NAMESPACE } from '../src/index.js';

const url = inject('redisUrl');

/** Wraps an adapter to record the scripts a strategy runs, and whether it closed the adapter. */
function countingAdapter(inner: RedisAdapter) {
  const counter = { scripts: [] as string[], closed: false };
  const adapter = observeAdapter(inner, {
    onScript: (script) => counter.scripts.push(script.name),
    onClose: () => {
      counter.closed = true;
    },
  });
  return { adapter, counter };
}

describe('createOptimisticLock', () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(url);
  });
  afterAll(async () => {
    await client.quit();
  });

  it('validates its options before touching Redis', () => {
    expect(() => createOptimisticLock({ client: {} })).toThrow(/options\.client must be/);
    expect(() => createOptimisticLock({ client, namespace: 'a{b}' })).toThrow(RangeError);
    expect(() => createOptimisticLock({ client, namespace: 'a{b}' })).toThrow(/options\.namespace/);
    expect(() => createOptimisticLock({ client, retry: { delay: -1 } })).toThrow(/options\.retry\.delay/);
    expect(() => createOptimisticLock({ client, waitTimeout: -5 })).toThrow(/options\.waitTimeout/);
    expect(() => createOptimisticLock(undefined as never)).toThrow(/options must be an object/);
  });

  it('stores the token at <namespace>:{resource} and counts fencing tokens beside it', async () => {
    const namespace = uniqueKey('opt-layout');
    const locks = createOptimisticLock({ client, namespace });
    const lock = await locks.acquire('a}b', { ttl: 5000 });
    expect(await client.get(`${namespace}:{a%7Db}`)).toBe(lock.token);
    expect(await client.get(`${namespace}:{a%7Db}:fence`)).toBe(String(lock.fencingToken));
    expect(locks.keysOf('a}b')).toEqual({
      lock: `${namespace}:{a%7Db}`,
      fence: `${namespace}:{a%7Db}:fence`,
    });
    expect(await lock.release()).toBe('released');
    expect(await client.exists(`${namespace}:{a%7Db}`)).toBe(0);
    await client.del(`${namespace}:{a%7Db}:fence`);
    await locks.close();
  });

  it('uses the documented default namespace', () => {
    const locks = createOptimisticLock({ client });
    expect(locks.namespace).toBe(DEFAULT_OPTIMISTIC_NAMESPACE);
    expect(locks.keysOf('r').lock).toBe('redis-locks:optimistic:{r}');
  });

  it('takes exactly two round trips for an uncontended acquire + release', async () => {
    const { adapter, counter } = countingAdapter(toAdapter(client));
    const namespace = uniqueKey('opt-rtt');
    const locks = createOptimisticLock({ client: adapter, namespace });
    for (let i = 0; i < 5; i++) {
      const lock = await locks.acquire('r', { ttl: 1000 });
      await lock.release();
    }
    expect(counter.scripts).toEqual(Array.from({ length: 5 }, () => ['lock_acquire', 'lock_release']).flat());
    await locks.close();
    // An adapter the caller passed in is the caller's to close.
    expect(counter.closed).toBe(false);
    await client.del(`${namespace}:{r}:fence`);
  });

  it('re-checks when the holder expires instead of sleeping a whole retry delay', async () => {
    const namespace = uniqueKey('opt-expiry');
    const locks = createOptimisticLock({ client, namespace, retry: { delay: 5000 } });
    await locks.acquire('r', { ttl: 200 });
    const started = Date.now();
    const lock = await locks.acquire('r', { ttl: 1000, waitTimeout: 3000 });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(150);
    expect(waited).toBeLessThan(1500);
    await lock.release();
    await client.del(`${namespace}:{r}:fence`);
    await locks.close();
  });

  it.each([
    ['fixed', { delay: 100, jitter: 0 }, 3, 8],
    ['exponential', { delay: 20, jitter: 0, backoff: 'exponential', maxDelay: 160 } as const, 5, 10],
  ])('spaces %s retries as configured', async (_name, retry, min, max) => {
    const { adapter, counter } = countingAdapter(toAdapter(client));
    const namespace = uniqueKey('opt-retry');
    const holder = createOptimisticLock({ client, namespace });
    const waiter = createOptimisticLock({ client: adapter, namespace, retry });
    const held = await holder.acquire('r', { ttl: 10_000 });
    const error = await waiter.acquire('r', { ttl: 1000, waitTimeout: 600 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LOCK_TIMEOUT' });
    const attempts = counter.scripts.filter((name) => name === 'lock_acquire').length;
    // fixed: 1 + 600/100 ≈ 7; exponential: 20+40+80+160+160+160 ≈ 7–8 attempts.
    expect(attempts).toBeGreaterThanOrEqual(min);
    expect(attempts).toBeLessThanOrEqual(max);
    expect((error as { attempts: number }).attempts).toBe(attempts);
    await held.release();
    await client.del(`${namespace}:{r}:fence`);
    await Promise.all([holder.close(), waiter.close()]);
  });
});
