import { describe, expect, it } from 'vitest';
import { semaphoreAcquire, semaphoreExtend } from '../src/index.js';
import { expectPttl, lockKeys, run, useScriptFixture } from './helpers.js';

describe('semaphore_extend', () => {
  const { redis, created } = useScriptFixture(semaphoreAcquire, semaphoreExtend);
  const keysFor = (label: string) => {
    const k = lockKeys(`semaphore_extend:${label}`);
    created.push(k.lock, k.fence);
    return k;
  };

  it('declares its keys and args', () => {
    expect(semaphoreExtend.keys).toEqual(['lock']);
    expect(semaphoreExtend.args).toEqual(['token', 'ttl']);
  });

  it('returns 1 and sets the ttl from now (longer or shorter) for the owner', async () => {
    const k = keysFor('owner');
    await run(redis, semaphoreAcquire, [k.lock, k.fence], ['a', 1000]);
    expect(await run(redis, semaphoreExtend, [k.lock], ['a', 8000])).toBe(1);
    expectPttl(await redis.pttl(k.lock), 8000);
    expect(await run(redis, semaphoreExtend, [k.lock], ['a', 2000])).toBe(1);
    expectPttl(await redis.pttl(k.lock), 2000);
  });

  it('returns 0 for a missing lock and -1 for another token (ttl untouched)', async () => {
    const k = keysFor('others');
    expect(await run(redis, semaphoreExtend, [k.lock], ['a', 1000])).toBe(0);
    await run(redis, semaphoreAcquire, [k.lock, k.fence], ['a', 3000]);
    expect(await run(redis, semaphoreExtend, [k.lock], ['b', 9000])).toBe(-1);
    expectPttl(await redis.pttl(k.lock), 3000);
  });

  it('surfaces WRONGTYPE and rejects bad arguments', async () => {
    const k = keysFor('errors');
    await redis.set(k.lock, 'x', 'PX', 5000);
    await expect(run(redis, semaphoreExtend, [k.lock], ['a', 1000])).rejects.toThrow(/WRONGTYPE/);
    await expect(run(redis, semaphoreExtend, [k.lock], ['', 1000])).rejects.toThrow(/token/);
    await expect(run(redis, semaphoreExtend, [k.lock], ['a', 1.5])).rejects.toThrow(/ttl/);
  });
});
