import { uniqueKey } from '@redis-locks/testing';
import { describe, expect, it } from 'vitest';
import { redfourAcquire } from '../src/index.js';
import { expectPttl, run, useScriptFixture } from './helpers.js';

describe('redfour_acquire', () => {
  const { redis, created } = useScriptFixture(redfourAcquire);
  const layout = () => {
    const ns = uniqueKey('redfour_acquire');
    const keys = { lock: `${ns}:job`, counter: `${ns}index` };
    created.push(keys.lock, keys.counter);
    return keys;
  };

  it('declares its keys and args', () => {
    expect(redfourAcquire.keys).toEqual(['lock', 'counter']);
    expect(redfourAcquire.args).toEqual(['ttl', 'token']);
  });

  it("takes a free lock: {1, index, ttl}, a hash with the counter's value and the token", async () => {
    const k = layout();
    expect(await run(redis, redfourAcquire, [k.lock, k.counter], [5000, 'tok'])).toEqual([1, 1, 5000]);
    expect(await redis.hgetall(k.lock)).toEqual({ index: '1', token: 'tok' });
    expectPttl(await redis.pttl(k.lock), 5000);
    expect(await redis.pttl(k.counter)).toBe(-1);
  });

  it('refuses a held lock (also one written by the original library) with {0, -1, pttl}', async () => {
    const k = layout();
    await redis.hset(k.lock, 'index', '7');
    await redis.pexpire(k.lock, 3000);
    const [ok, index, pttl] = (await run(
      redis,
      redfourAcquire,
      [k.lock, k.counter],
      [5000, 'tok'],
    )) as number[];
    expect([ok, index]).toEqual([0, -1]);
    expectPttl(pttl, 3000);
    expect(await redis.exists(k.counter)).toBe(0);
  });

  it('rejects bad arguments', async () => {
    const k = layout();
    await expect(run(redis, redfourAcquire, [k.lock, k.counter], [0, 'tok'])).rejects.toThrow(/ttl/);
    await expect(run(redis, redfourAcquire, [k.lock, k.counter], [10, ''])).rejects.toThrow(/token/);
  });
});
