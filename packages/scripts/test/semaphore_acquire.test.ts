import { describe, expect, it } from 'vitest';
import { semaphoreAcquire } from '../src/index.js';
import { expectPttl, lockKeys, run, useScriptFixture } from './helpers.js';

describe('semaphore_acquire', () => {
  const { redis, created, listen } = useScriptFixture(semaphoreAcquire);
  const keysFor = (label: string) => {
    const k = lockKeys(`semaphore_acquire:${label}`);
    const all = { ...k, queue: `${k.tag}:queue`, waiters: `${k.tag}:waiters` };
    created.push(all.lock, all.fence, all.queue, all.waiters);
    return all;
  };
  const fairKeys = (k: ReturnType<typeof keysFor>) => [k.lock, k.fence, k.queue, k.waiters];

  it('declares its keys and args', () => {
    expect(semaphoreAcquire.keys).toEqual(['lock', 'fence', 'queue', 'waiters']);
    expect(semaphoreAcquire.args).toEqual([
      'token',
      'ttl',
      'entryTtl',
      'channel',
      'publishCommand',
      'message',
      'grantChannel',
    ]);
  });

  it('takes a free lock: hash with token and index, ttl set, fencing counter bumped', async () => {
    const k = keysFor('free');
    expect(await run(redis, semaphoreAcquire, [k.lock, k.fence], ['a', 5000])).toEqual([1, 1, 5000]);
    expect(await redis.hgetall(k.lock)).toEqual({ token: 'a', index: '1' });
    expectPttl(await redis.pttl(k.lock), 5000);
    await redis.del(k.lock);
    expect(await run(redis, semaphoreAcquire, [k.lock, k.fence], ['b', 5000])).toEqual([1, 2, 5000]);
  });

  it('refuses a held lock with the holder pttl and writes nothing', async () => {
    const k = keysFor('held');
    await run(redis, semaphoreAcquire, [k.lock, k.fence], ['a', 5000]);
    const [granted, pttl] = (await run(redis, semaphoreAcquire, [k.lock, k.fence], ['b', 1000])) as number[];
    expect(granted).toBe(0);
    expectPttl(pttl, 5000);
    expect(await redis.hget(k.lock, 'token')).toBe('a');
    expect(await redis.get(k.fence)).toBe('1');
  });

  it('reports the lock as acquired again for the token that holds it, with its ttl set again', async () => {
    const k = keysFor('own');
    await run(redis, semaphoreAcquire, [k.lock, k.fence], ['a', 5000]);
    expect(await run(redis, semaphoreAcquire, [k.lock, k.fence], ['a', 9000])).toEqual([1, 1, 9000]);
    expectPttl(await redis.pttl(k.lock), 9000);
    expect(await redis.get(k.fence)).toBe('1');
  });

  it('counts a key of another layout as held, and surfaces WRONGTYPE for a non-hash', async () => {
    const k = keysFor('wrongtype');
    await redis.set(k.lock, 'x', 'PX', 5000);
    await expect(run(redis, semaphoreAcquire, [k.lock, k.fence], ['a', 5000])).rejects.toThrow(/WRONGTYPE/);
    await redis.del(k.lock);
    await redis.hset(k.lock, 'other', '1');
    expect(((await run(redis, semaphoreAcquire, [k.lock, k.fence], ['a', 5000])) as number[])[0]).toBe(0);
  });

  it('fair: a refused waiter joins the queue once, with an entry that expires', async () => {
    const k = keysFor('enqueue');
    await run(redis, semaphoreAcquire, fairKeys(k), ['a', 5000, 0]);
    await run(redis, semaphoreAcquire, fairKeys(k), ['b', 700, 3000]);
    await run(redis, semaphoreAcquire, fairKeys(k), ['c', 800, 3000]);
    await run(redis, semaphoreAcquire, fairKeys(k), ['b', 700, 3000]);
    expect(await redis.lrange(k.queue, 0, -1)).toEqual(['b', 'c']);
    expect(await redis.hget(k.waiters, 'c')).toMatch(/^\d+:800:$/);
    expectPttl(await redis.pttl(k.waiters), 3000);
    expectPttl(await redis.pttl(k.queue), 3000);
  });

  it('fair: entryTtl 0 (a single attempt) does not join the queue', async () => {
    const k = keysFor('no-enqueue');
    await run(redis, semaphoreAcquire, fairKeys(k), ['a', 5000, 0]);
    await run(redis, semaphoreAcquire, fairKeys(k), ['b', 700, 0]);
    expect(await redis.exists(k.queue, k.waiters)).toBe(0);
  });

  it('fair: the queue head takes a free lock and leaves the queue; the queue keys go when empty', async () => {
    const k = keysFor('head');
    await run(redis, semaphoreAcquire, fairKeys(k), ['a', 100, 0]);
    await run(redis, semaphoreAcquire, fairKeys(k), ['b', 5000, 3000]);
    await redis.del(k.lock);
    expect(await run(redis, semaphoreAcquire, fairKeys(k), ['b', 5000, 3000])).toEqual([1, 2, 5000]);
    expect(await redis.exists(k.queue, k.waiters)).toBe(0);
  });

  it('fair: a free lock goes to the live queue head, announced on the channel, not to a newcomer', async () => {
    const k = keysFor('handoff');
    const subscription = await listen(k.channel);
    await run(redis, semaphoreAcquire, fairKeys(k), ['a', 100, 0]);
    await run(redis, semaphoreAcquire, fairKeys(k), ['b', 4000, 3000]);
    await redis.del(k.lock);
    const [granted, pttl] = (await run(redis, semaphoreAcquire, fairKeys(k), [
      'c',
      5000,
      3000,
      k.channel,
      'publish',
      'res',
    ])) as number[];
    expect(granted).toBe(0);
    expect(pttl).toBe(4000);
    expect(await redis.hgetall(k.lock)).toEqual({ token: 'b', index: '2' });
    expect(await subscription.next()).toBe('b\n2\n4000\nres');
    expect(await redis.lrange(k.queue, 0, -1)).toEqual(['c']);
  });

  it("fair: a free lock handed to the queue head is announced on that waiter's grant channel only", async () => {
    const k = keysFor('grant-channel');
    const grants = `${k.channel}:granted:b`;
    const shared = await listen(k.channel);
    const own = await listen(grants);
    await run(redis, semaphoreAcquire, fairKeys(k), ['a', 100, 0]);
    await run(redis, semaphoreAcquire, fairKeys(k), ['b', 4000, 3000, k.channel, 'publish', 'res', grants]);
    expect(await redis.hget(k.waiters, 'b')).toMatch(new RegExp(`^\\d+:4000:${grants}$`));
    await redis.del(k.lock);
    await run(redis, semaphoreAcquire, fairKeys(k), ['c', 5000, 3000, k.channel, 'publish', 'res']);
    expect(await own.next()).toBe('b\n2\n4000\nres');
    await redis.publish(k.channel, 'sentinel');
    expect(await shared.next()).toBe('sentinel');
  });

  it('fair: dead (expired) and stale entries at the head are skipped', async () => {
    const k = keysFor('dead');
    await run(redis, semaphoreAcquire, fairKeys(k), ['a', 5000, 0]);
    await run(redis, semaphoreAcquire, fairKeys(k), ['dead', 5000, 3000]);
    await redis.hset(k.waiters, 'dead', '1:5000'); // expired long ago
    await redis.rpush(k.queue, 'stale'); // no entry in waiters
    await redis.del(k.lock);
    expect(await run(redis, semaphoreAcquire, fairKeys(k), ['c', 5000, 3000])).toEqual([1, 2, 5000]);
    expect(await redis.exists(k.queue, k.waiters)).toBe(0);
  });

  it('rejects bad arguments before writing', async () => {
    const k = keysFor('bad');
    await expect(run(redis, semaphoreAcquire, [k.lock, k.fence], ['', 5000])).rejects.toThrow(/token/);
    await expect(run(redis, semaphoreAcquire, [k.lock, k.fence], ['a', 0])).rejects.toThrow(/ttl/);
    await expect(run(redis, semaphoreAcquire, [k.lock, k.fence], ['a', 10, -1])).rejects.toThrow(/entryTtl/);
    await expect(run(redis, semaphoreAcquire, [k.lock, k.fence], ['a', 10, 0, 'c', 'del'])).rejects.toThrow(
      /publishCommand/,
    );
    expect(await redis.exists(k.lock, k.fence)).toBe(0);
  });
});
