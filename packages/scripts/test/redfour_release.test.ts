import { uniqueKey } from '@redis-locks/testing';
import { describe, expect, it } from 'vitest';
import { redfourAcquire, redfourRelease } from '../src/index.js';
import { run, useScriptFixture } from './helpers.js';

describe('redfour_release', () => {
  const { redis, created, listen } = useScriptFixture(redfourAcquire, redfourRelease);
  const layout = () => {
    const ns = uniqueKey('redfour_release');
    const keys = { lock: `${ns}:job`, counter: `${ns}index`, channel: `${ns}-release` };
    created.push(keys.lock, keys.counter);
    return keys;
  };

  it('declares its keys and args', () => {
    expect(redfourRelease.keys).toEqual(['lock']);
    expect(redfourRelease.args).toEqual(['index', 'token', 'channel', 'publishCommand']);
  });

  it('returns 1 for the right index and token, deletes and publishes the lock key', async () => {
    const k = layout();
    const s = await listen(k.channel);
    await run(redis, redfourAcquire, [k.lock, k.counter], [5000, 'tok']);
    expect(await run(redis, redfourRelease, [k.lock], [1, 'tok', k.channel])).toBe(1);
    expect(await redis.exists(k.lock)).toBe(0);
    expect(await s.next()).toBe(k.lock);
  });

  it('SPUBLISHes when asked to', async () => {
    const k = layout();
    const s = await listen(k.channel, true);
    await run(redis, redfourAcquire, [k.lock, k.counter], [5000, 'tok']);
    expect(await run(redis, redfourRelease, [k.lock], [1, 'tok', k.channel, 'spublish'])).toBe(1);
    expect(await s.next()).toBe(k.lock);
  });

  it('returns -1 for the right index with a wrong or missing token (the index alone is not enough)', async () => {
    const k = layout();
    await run(redis, redfourAcquire, [k.lock, k.counter], [5000, 'tok']);
    expect(await run(redis, redfourRelease, [k.lock], [1, 'guess', k.channel])).toBe(-1);
    expect(await run(redis, redfourRelease, [k.lock], [1, '', k.channel])).toBe(-1);
    expect(await run(redis, redfourRelease, [k.lock], [2, 'tok', k.channel])).toBe(-1);
    expect(await redis.hget(k.lock, 'token')).toBe('tok');
  });

  it('releases a lock written by the original library (no token) by its index', async () => {
    const k = layout();
    await redis.hset(k.lock, 'index', '9');
    await redis.pexpire(k.lock, 5000);
    expect(await run(redis, redfourRelease, [k.lock], [8, '', k.channel])).toBe(-1);
    expect(await run(redis, redfourRelease, [k.lock], [9, '', k.channel])).toBe(1);
  });

  it('returns 0 for a missing lock; surfaces WRONGTYPE; rejects an unknown publish command', async () => {
    const k = layout();
    expect(await run(redis, redfourRelease, [k.lock], [1, 'tok', k.channel])).toBe(0);
    await redis.set(k.lock, 'x');
    await expect(run(redis, redfourRelease, [k.lock], [1, 'tok', k.channel])).rejects.toThrow(/WRONGTYPE/);
    await expect(run(redis, redfourRelease, [k.lock], [1, 'tok', k.channel, 'del'])).rejects.toThrow(
      /publishCommand/,
    );
  });
});
