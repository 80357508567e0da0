import { describe, expect, it } from 'vitest';
import { semaphoreAcquire, semaphoreRelease } from '../src/index.js';
import { expectPttl, lockKeys, run, useScriptFixture } from './helpers.js';

describe('semaphore_release', () => {
  const { redis, created, listen } = useScriptFixture(semaphoreAcquire, semaphoreRelease);
  const keysFor = (label: string) => {
    const k = lockKeys(`semaphore_release:${label}`);
    const all = { ...k, queue: `${k.tag}:queue`, waiters: `${k.tag}:waiters` };
    created.push(all.lock, all.fence, all.queue, all.waiters);
    return all;
  };
  const fairKeys = (k: ReturnType<typeof keysFor>) => [k.lock, k.fence, k.queue, k.waiters];

  it('declares its keys and args', () => {
    expect(semaphoreRelease.keys).toEqual(['lock', 'fence', 'queue', 'waiters']);
    expect(semaphoreRelease.args).toEqual(['token', 'channel', 'publishCommand', 'message']);
  });

  it("fair: a hand-off is announced on the new owner's grant channel, not on the release channel", async () => {
    const k = keysFor('grant-channel');
    const grants = `${k.channel}:granted:b`;
    const shared = await listen(k.channel);
    const own = await listen(grants);
    await run(redis, semaphoreAcquire, fairKeys(k), ['a', 5000, 0]);
    await run(redis, semaphoreAcquire, fairKeys(k), ['b', 4000, 3000, k.channel, 'publish', 'res', grants]);
    expect(await run(redis, semaphoreRelease, fairKeys(k), ['a', k.channel, 'publish', 'res'])).toBe(1);
    expect(await redis.hgetall(k.lock)).toEqual({ token: 'b', index: '2' });
    expect(await own.next()).toBe('b\n2\n4000\nres');
    await redis.publish(k.channel, 'sentinel');
    expect(await shared.next()).toBe('sentinel');
    // Nothing to announce with an empty channel argument, grant channel or not.
    await run(redis, semaphoreAcquire, fairKeys(k), ['c', 4000, 3000, k.channel, 'publish', 'res', grants]);
    expect(await run(redis, semaphoreRelease, fairKeys(k), ['b', '', 'publish', 'res'])).toBe(1);
    expect(await redis.hget(k.lock, 'token')).toBe('c');
    await redis.publish(grants, 'sentinel');
    expect(await own.next()).toBe('sentinel');
  });

  it('returns 1, deletes the lock and announces the release; the counter stays', async () => {
    const k = keysFor('owner');
    const s = await listen(k.channel);
    await run(redis, semaphoreAcquire, [k.lock, k.fence], ['a', 5000]);
    expect(await run(redis, semaphoreRelease, [k.lock, k.fence], ['a', k.channel, 'publish', 'res'])).toBe(1);
    expect(await redis.exists(k.lock)).toBe(0);
    expect(await redis.get(k.fence)).toBe('1');
    expect(await s.next()).toBe('\n\n\nres');
  });

  it('publishes with SPUBLISH when asked to', async () => {
    const k = keysFor('sharded');
    const s = await listen(k.channel, true);
    await run(redis, semaphoreAcquire, [k.lock, k.fence], ['a', 5000]);
    expect(await run(redis, semaphoreRelease, [k.lock, k.fence], ['a', k.channel, 'spublish', 'r'])).toBe(1);
    expect(await s.next()).toBe('\n\n\nr');
  });

  it('returns 0 for a missing lock and -1 for another token (untouched, nothing announced)', async () => {
    const k = keysFor('others');
    const s = await listen(k.channel);
    expect(await run(redis, semaphoreRelease, [k.lock, k.fence], ['a', k.channel, 'publish', 'r'])).toBe(0);
    await run(redis, semaphoreAcquire, [k.lock, k.fence], ['a', 5000]);
    expect(await run(redis, semaphoreRelease, [k.lock, k.fence], ['b', k.channel, 'publish', 'r'])).toBe(-1);
    expect(await redis.hget(k.lock, 'token')).toBe('a');
    expectPttl(await redis.pttl(k.lock), 5000);
    await redis.publish(k.channel, 'sentinel');
    expect(await s.next()).toBe('sentinel');
  });

  it('fair: hands the lock to the first live waiter with its ttl and announces only that hand-off', async () => {
    const k = keysFor('handoff');
    const s = await listen(k.channel);
    await run(redis, semaphoreAcquire, fairKeys(k), ['a', 5000, 0]);
    await run(redis, semaphoreAcquire, fairKeys(k), ['dead', 5000, 3000]);
    await run(redis, semaphoreAcquire, fairKeys(k), ['b', 4000, 3000]);
    await run(redis, semaphoreAcquire, fairKeys(k), ['c', 6000, 3000]);
    await redis.hset(k.waiters, 'dead', '1:5000');
    expect(await run(redis, semaphoreRelease, fairKeys(k), ['a', k.channel, 'publish', 'res'])).toBe(1);
    expect(await redis.hgetall(k.lock)).toEqual({ token: 'b', index: '2' });
    expectPttl(await redis.pttl(k.lock), 4000);
    expect(await s.next()).toBe('b\n2\n4000\nres');
    expect(await redis.lrange(k.queue, 0, -1)).toEqual(['c']);
    expect(await run(redis, semaphoreRelease, fairKeys(k), ['b', k.channel, 'publish', 'res'])).toBe(1);
    expect(await s.next()).toBe('c\n3\n6000\nres');
    expect(await redis.exists(k.queue, k.waiters)).toBe(0);
    expect(await run(redis, semaphoreRelease, fairKeys(k), ['c', k.channel, 'publish', 'res'])).toBe(1);
    expect(await s.next()).toBe('\n\n\nres');
  });

  it('fair: a waiter that gives up leaves the queue; a missing lock is handed on too', async () => {
    const k = keysFor('abandon');
    await run(redis, semaphoreAcquire, fairKeys(k), ['a', 100, 0]);
    await run(redis, semaphoreAcquire, fairKeys(k), ['b', 4000, 3000]);
    await run(redis, semaphoreAcquire, fairKeys(k), ['c', 4000, 3000]);
    expect(await run(redis, semaphoreRelease, fairKeys(k), ['b'])).toBe(-1);
    expect(await redis.hexists(k.waiters, 'b')).toBe(0);
    await redis.del(k.lock);
    expect(await run(redis, semaphoreRelease, fairKeys(k), ['a'])).toBe(0);
    expect(await redis.hget(k.lock, 'token')).toBe('c');
    expect(await redis.exists(k.queue, k.waiters)).toBe(0);
  });

  it('surfaces WRONGTYPE and rejects an unknown publish command', async () => {
    const k = keysFor('errors');
    await redis.set(k.lock, 'x', 'PX', 5000);
    await expect(run(redis, semaphoreRelease, [k.lock, k.fence], ['a'])).rejects.toThrow(/WRONGTYPE/);
    await expect(run(redis, semaphoreRelease, [k.lock, k.fence], ['x', 'c', 'del'])).rejects.toThrow(
      /publishCommand/,
    );
    await expect(run(redis, semaphoreRelease, [k.lock, k.fence], [''])).rejects.toThrow(/token/);
    expect(await redis.get(k.lock)).toBe('x');
  });
});
