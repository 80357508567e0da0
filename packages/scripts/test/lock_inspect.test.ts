import { describe, expect, it } from 'vitest';
import { lockInspect } from '../src/index.js';
import { expectPttl, lockKeys, run, useScriptFixture } from './helpers.js';

describe('lock_inspect', () => {
  const { redis, created } = useScriptFixture(lockInspect);
  const keysFor = (label: string) => {
    const keys = lockKeys(`lock_inspect:${label}`);
    created.push(keys.lock, keys.fence);
    return keys;
  };
  const inspect = async (keys: string[], args: string[] = []) => {
    const reply = (await run(redis, lockInspect, keys, args)) as unknown[];
    expect(reply).toHaveLength(3);
    for (const item of reply) expect(typeof item).toBe('number');
    return reply as [number, number, number];
  };

  it('has a generated sha1 equal to SCRIPT LOAD and declares its keys and args', async () => {
    expect(await redis.script('LOAD', lockInspect.source)).toBe(lockInspect.sha1);
    expect(lockInspect.keys).toEqual(['lock', 'fence']);
    expect(lockInspect.args).toEqual(['expected']);
  });

  it('reports {-2, 0, 0} for a missing lock without counter and creates nothing', async () => {
    const { lock, fence } = keysFor('missing');
    expect(await inspect([lock, fence])).toEqual([-2, 0, 0]);
    expect(await inspect([lock])).toEqual([-2, 0, 0]);
    expect(await inspect([lock, fence], ['owner-a'])).toEqual([-2, 0, 0]);
    expect(await redis.exists(lock, fence)).toBe(0);
  });

  it('reports pttl and fence of a held lock; matches = 1 only for the stored value', async () => {
    const { lock, fence } = keysFor('held');
    await redis.set(lock, 'owner-a', 'PX', 5000);
    await redis.set(fence, '7');
    const [pttl, fencingToken, matches] = await inspect([lock, fence], ['owner-a']);
    expectPttl(pttl, 5000);
    expect(fencingToken).toBe(7);
    expect(matches).toBe(1);
    expect((await inspect([lock, fence], ['owner-b']))[2]).toBe(0);
  });

  it('does not compare when ARGV[1] is absent or empty, and never returns the stored value', async () => {
    const { lock, fence } = keysFor('no-compare');
    await redis.set(lock, 'secret-token', 'PX', 5000);
    for (const args of [[], ['']]) {
      const reply = await inspect([lock, fence], args);
      expect(reply[1]).toBe(0);
      expect(reply[2]).toBe(0);
      expect(reply).not.toContain('secret-token');
    }
  });

  it('reports fence 0 without KEYS[2] even when a counter exists', async () => {
    const { lock, fence } = keysFor('no-fence-key');
    await redis.set(lock, 'owner-a', 'PX', 5000);
    await redis.set(fence, '3');
    const [pttl, fencingToken, matches] = await inspect([lock], ['owner-a']);
    expectPttl(pttl, 5000);
    expect(fencingToken).toBe(0);
    expect(matches).toBe(1);
  });

  it('still reports the counter after the lock is gone (counters persist)', async () => {
    const { lock, fence } = keysFor('released');
    await redis.set(fence, '12');
    expect(await inspect([lock, fence], ['owner-a'])).toEqual([-2, 12, 0]);
  });

  it('reports pttl -1 for a lock without expiry', async () => {
    const { lock, fence } = keysFor('no-expiry');
    await redis.set(lock, 'owner-a');
    expect(await inspect([lock, fence], ['owner-a'])).toEqual([-1, 0, 1]);
  });

  it('is read-only: ttl and value are unchanged', async () => {
    const { lock, fence } = keysFor('read-only');
    await redis.set(lock, 'owner-a', 'PX', 2000);
    await inspect([lock, fence], ['owner-a']);
    expect(await redis.get(lock)).toBe('owner-a');
    expectPttl(await redis.pttl(lock), 2000);
    expect(await redis.exists(fence)).toBe(0);
  });

  it('inspects a key of another type without comparing, and surfaces WRONGTYPE when asked to compare', async () => {
    const { lock, fence } = keysFor('wrongtype');
    await redis.hset(lock, 'field', 'value');
    await redis.pexpire(lock, 3000);
    const [pttl, , matches] = await inspect([lock, fence]);
    expectPttl(pttl, 3000);
    expect(matches).toBe(0);
    await expect(run(redis, lockInspect, [lock, fence], ['owner-a'])).rejects.toThrow(/WRONGTYPE/);
  });
});
