import { uniqueKey } from '@redis-locks/testing';
import { describe, expect, it } from 'vitest';
import { redfourAcquire, redfourExtend } from '../src/index.js';
import { expectPttl, run, useScriptFixture } from './helpers.js';

describe('redfour_extend', () => {
  const { redis, created } = useScriptFixture(redfourAcquire, redfourExtend);
  const layout = () => {
    const ns = uniqueKey('redfour_extend');
    const keys = { lock: `${ns}:job`, counter: `${ns}index` };
    created.push(keys.lock, keys.counter);
    return keys;
  };

  it('declares its keys and args', () => {
    expect(redfourExtend.keys).toEqual(['lock']);
    expect(redfourExtend.args).toEqual(['index', 'token', 'ttl']);
  });

  it('returns 1 and sets the ttl from now for the owner', async () => {
    const k = layout();
    await run(redis, redfourAcquire, [k.lock, k.counter], [1000, 'tok']);
    expect(await run(redis, redfourExtend, [k.lock], [1, 'tok', 7000])).toBe(1);
    expectPttl(await redis.pttl(k.lock), 7000);
  });

  it('returns -1 for a wrong index or token, 0 for a missing lock; accepts an original lock by index', async () => {
    const k = layout();
    expect(await run(redis, redfourExtend, [k.lock], [1, 'tok', 1000])).toBe(0);
    await run(redis, redfourAcquire, [k.lock, k.counter], [3000, 'tok']);
    expect(await run(redis, redfourExtend, [k.lock], [1, 'nope', 9000])).toBe(-1);
    expect(await run(redis, redfourExtend, [k.lock], [2, 'tok', 9000])).toBe(-1);
    expectPttl(await redis.pttl(k.lock), 3000);
    await redis.del(k.lock);
    await redis.hset(k.lock, 'index', '4');
    expect(await run(redis, redfourExtend, [k.lock], [4, '', 9000])).toBe(1);
    expectPttl(await redis.pttl(k.lock), 9000);
  });

  it('rejects a bad ttl', async () => {
    const k = layout();
    await expect(run(redis, redfourExtend, [k.lock], [1, 'tok', 0])).rejects.toThrow(/ttl/);
  });
});
