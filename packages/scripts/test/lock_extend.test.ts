import { describe, expect, it } from 'vitest';
import { lockExtend } from '../src/index.js';
import { expectPttl, lockKeys, run, useScriptFixture } from './helpers.js';

describe('lock_extend', () => {
  const { redis, created } = useScriptFixture(lockExtend);
  const keyFor = (label: string) => {
    const { lock } = lockKeys(`lock_extend:${label}`);
    created.push(lock);
    return lock;
  };

  it('has a generated sha1 equal to SCRIPT LOAD and declares its keys and args', async () => {
    expect(await redis.script('LOAD', lockExtend.source)).toBe(lockExtend.sha1);
    expect(lockExtend.keys).toEqual(['lock']);
    expect(lockExtend.args).toEqual(['token', 'ttl']);
  });

  it('returns 1 and lengthens the ttl of a lock held by the token', async () => {
    const lock = keyFor('longer');
    await redis.set(lock, 'owner-a', 'PX', 1000);
    expect(await run(redis, lockExtend, [lock], ['owner-a', 10_000])).toBe(1);
    expectPttl(await redis.pttl(lock), 10_000);
    expect(await redis.get(lock)).toBe('owner-a');
  });

  it('sets the ttl from now, so it can also shorten it', async () => {
    const lock = keyFor('shorter');
    await redis.set(lock, 'owner-a', 'PX', 60_000);
    expect(await run(redis, lockExtend, [lock], ['owner-a', 500])).toBe(1);
    expectPttl(await redis.pttl(lock), 500);
  });

  it('gives an expiry to a held key that had none', async () => {
    const lock = keyFor('persistent');
    await redis.set(lock, 'owner-a');
    expect(await run(redis, lockExtend, [lock], ['owner-a', 2000])).toBe(1);
    expectPttl(await redis.pttl(lock), 2000);
  });

  it('returns 0 for a missing key and does not create it', async () => {
    const lock = keyFor('missing');
    expect(await run(redis, lockExtend, [lock], ['owner-a', 1000])).toBe(0);
    expect(await redis.exists(lock)).toBe(0);
  });

  it('returns 0 once the lock has expired', async () => {
    const lock = keyFor('expired');
    await redis.set(lock, 'owner-a', 'PX', 30);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await run(redis, lockExtend, [lock], ['owner-a', 1000])).toBe(0);
    expect(await redis.exists(lock)).toBe(0);
  });

  it('returns -1 for another token and leaves the lock untouched', async () => {
    const lock = keyFor('not-owner');
    await redis.set(lock, 'owner-a', 'PX', 2000);
    expect(await run(redis, lockExtend, [lock], ['owner-b', 60_000])).toBe(-1);
    expect(await redis.get(lock)).toBe('owner-a');
    expectPttl(await redis.pttl(lock), 2000);
  });

  it('surfaces WRONGTYPE for a key that is not a string', async () => {
    const lock = keyFor('wrongtype');
    await redis.hset(lock, 'field', 'value');
    await expect(run(redis, lockExtend, [lock], ['owner-a', 1000])).rejects.toThrow(/WRONGTYPE/);
    expect(await redis.pttl(lock)).toBe(-1);
  });

  it.each([['0'], ['-1'], ['2.5'], ['later'], ['']])(
    'rejects ttl %j and leaves the lock untouched',
    async (ttl) => {
      const lock = keyFor('bad-ttl');
      await redis.set(lock, 'owner-a', 'PX', 2000);
      await expect(run(redis, lockExtend, [lock], ['owner-a', ttl])).rejects.toThrow(
        /lock_extend: ttl must be a positive integer/,
      );
      expect(await redis.get(lock)).toBe('owner-a');
      expectPttl(await redis.pttl(lock), 2000);
    },
  );
});
