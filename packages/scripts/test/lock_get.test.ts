import { describe, expect, it } from 'vitest';
import { lockGet } from '../src/index.js';
import { expectPttl, lockKeys, run, useScriptFixture } from './helpers.js';

describe('lock_get', () => {
  const { redis, created } = useScriptFixture(lockGet);
  const keyFor = (label: string) => {
    const { lock } = lockKeys(`lock_get:${label}`);
    created.push(lock);
    return lock;
  };

  it('has a generated sha1 equal to SCRIPT LOAD and declares its keys and args', async () => {
    expect(await redis.script('LOAD', lockGet.source)).toBe(lockGet.sha1);
    expect(lockGet.keys).toEqual(['lock']);
    expect(lockGet.args).toEqual([]);
  });

  it('returns the stored value of a held lock and leaves value and ttl unchanged', async () => {
    const lock = keyFor('held');
    await redis.set(lock, 'value-a', 'PX', 5000);
    expect(await run(redis, lockGet, [lock], [])).toBe('value-a');
    expect(await redis.get(lock)).toBe('value-a');
    expectPttl(await redis.pttl(lock), 5000);
  });

  it('returns null for a missing key and creates nothing', async () => {
    const lock = keyFor('missing');
    expect(await run(redis, lockGet, [lock], [])).toBeNull();
    expect(await redis.exists(lock)).toBe(0);
  });

  it('surfaces WRONGTYPE for a key of another type', async () => {
    const lock = keyFor('wrongtype');
    await redis.hset(lock, 'field', 'value');
    await expect(run(redis, lockGet, [lock], [])).rejects.toThrow(/WRONGTYPE/);
  });
});
