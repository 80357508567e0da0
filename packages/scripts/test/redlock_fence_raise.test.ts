import { describe, expect, it } from 'vitest';
import { redlockFenceRaise } from '../src/index.js';
import { lockKeys, run, useScriptFixture } from './helpers.js';

describe('redlock_fence_raise', () => {
  const { redis, created } = useScriptFixture(redlockFenceRaise);
  const keyFor = (label: string) => {
    const { fence } = lockKeys(`redlock_fence_raise:${label}`);
    created.push(fence);
    return fence;
  };

  it('has a generated sha1 equal to SCRIPT LOAD and declares its keys and args', async () => {
    expect(await redis.script('LOAD', redlockFenceRaise.source)).toBe(redlockFenceRaise.sha1);
    expect(redlockFenceRaise.keys).toEqual(['fence']);
    expect(redlockFenceRaise.args).toEqual(['floor']);
  });

  it('creates a missing counter at the floor, without an expiry', async () => {
    const fence = keyFor('missing');
    expect(await run(redis, redlockFenceRaise, [fence], [7])).toBe(7);
    expect(await redis.get(fence)).toBe('7');
    expect(await redis.pttl(fence)).toBe(-1);
  });

  it('raises a lower counter to the floor', async () => {
    const fence = keyFor('lower');
    await redis.set(fence, '3');
    expect(await run(redis, redlockFenceRaise, [fence], [10])).toBe(10);
    expect(await redis.get(fence)).toBe('10');
    expect(await redis.incr(fence)).toBe(11);
  });

  it('never lowers a counter: a higher or equal one is returned unchanged', async () => {
    const fence = keyFor('higher');
    await redis.set(fence, '42');
    expect(await run(redis, redlockFenceRaise, [fence], [5])).toBe(42);
    expect(await run(redis, redlockFenceRaise, [fence], [42])).toBe(42);
    expect(await redis.get(fence)).toBe('42');
  });

  it('leaves a missing counter missing for floor 0 (nothing to raise)', async () => {
    const fence = keyFor('zero');
    expect(await run(redis, redlockFenceRaise, [fence], [0])).toBe(0);
    expect(await redis.exists(fence)).toBe(0);
  });

  it('surfaces WRONGTYPE for a key that is not a string', async () => {
    const fence = keyFor('wrongtype');
    await redis.hset(fence, 'field', 'value');
    await expect(run(redis, redlockFenceRaise, [fence], [1])).rejects.toThrow(/WRONGTYPE/);
  });

  it('rejects a counter that does not hold an integer and leaves it untouched', async () => {
    const fence = keyFor('garbage');
    await redis.set(fence, 'abc');
    await expect(run(redis, redlockFenceRaise, [fence], [1])).rejects.toThrow(
      /redlock_fence_raise: the fencing counter does not hold an integer/,
    );
    expect(await redis.get(fence)).toBe('abc');
  });

  it.each([['-1'], ['2.5'], ['later'], ['']])('rejects floor %j and writes nothing', async (floor) => {
    const fence = keyFor('bad-floor');
    await expect(run(redis, redlockFenceRaise, [fence], [floor])).rejects.toThrow(
      /redlock_fence_raise: floor must be a non-negative integer/,
    );
    expect(await redis.exists(fence)).toBe(0);
  });
});
