import { describe, expect, it } from 'vitest';
import { lockAcquire } from '../src/index.js';
import { expectPttl, lockKeys, run, useScriptFixture } from './helpers.js';

describe('lock_acquire', () => {
  const { redis, created } = useScriptFixture(lockAcquire);
  const keysFor = (label: string) => {
    const keys = lockKeys(`lock_acquire:${label}`);
    created.push(keys.lock, keys.fence);
    return keys;
  };

  it('has a generated sha1 equal to SCRIPT LOAD and declares its keys and args', async () => {
    expect(await redis.script('LOAD', lockAcquire.source)).toBe(lockAcquire.sha1);
    expect(lockAcquire.keys).toEqual(['lock', 'fence']);
    expect(lockAcquire.args).toEqual(['token', 'ttl', 'idempotent']);
  });

  it('takes a free lock: sets the token with the ttl and returns {1, fencingToken}', async () => {
    const { lock, fence } = keysFor('free');
    expect(await run(redis, lockAcquire, [lock, fence], ['owner-a', 1000])).toEqual([1, 1]);
    expect(await redis.get(lock)).toBe('owner-a');
    expectPttl(await redis.pttl(lock), 1000);
    expect(await redis.get(fence)).toBe('1');
  });

  it('returns {0, pttl} when held by someone else and changes nothing', async () => {
    const { lock, fence } = keysFor('held');
    await run(redis, lockAcquire, [lock, fence], ['owner-a', 5000]);
    const [acquired, pttl] = (await run(redis, lockAcquire, [lock, fence], ['owner-b', 1000])) as number[];
    expect(acquired).toBe(0);
    expectPttl(pttl, 5000);
    expect(await redis.get(lock)).toBe('owner-a');
    expectPttl(await redis.pttl(lock), 5000);
    expect(await redis.get(fence)).toBe('1');
  });

  it('with idempotent = 1, a resent acquire of the holding token succeeds again with the same fencing token', async () => {
    const { lock, fence } = keysFor('resent');
    const first = (await run(redis, lockAcquire, [lock, fence], ['owner-a', 5000, '1'])) as number[];
    expect(first[0]).toBe(1);
    const again = (await run(redis, lockAcquire, [lock, fence], ['owner-a', 9000, '1'])) as number[];
    expect(again).toEqual(first);
    expectPttl(await redis.pttl(lock), 9000);
    // Another token is still refused, idempotent or not.
    const other = (await run(redis, lockAcquire, [lock, fence], ['owner-b', 5000, '1'])) as number[];
    expect(other[0]).toBe(0);
    expect(await redis.get(fence)).toBe(String(first[1]));
  });

  it('is not reentrant by default: the same token does not acquire a lock it already holds', async () => {
    const { lock, fence } = keysFor('reentrant');
    await run(redis, lockAcquire, [lock, fence], ['owner-a', 5000]);
    const [acquired, pttl] = (await run(redis, lockAcquire, [lock, fence], ['owner-a', 9000])) as number[];
    expect(acquired).toBe(0);
    expectPttl(pttl, 5000);
  });

  it('increments the fencing counter on every acquisition, across lock lifetimes', async () => {
    const { lock, fence } = keysFor('fencing');
    const tokens: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [acquired, fencingToken] = (await run(
        redis,
        lockAcquire,
        [lock, fence],
        [`owner-${i}`, 1000],
      )) as number[];
      expect(acquired).toBe(1);
      tokens.push(fencingToken!);
      await redis.del(lock);
    }
    expect(tokens).toEqual([1, 2, 3]);
    expect(await redis.get(fence)).toBe('3');
  });

  it('continues from an existing counter value', async () => {
    const { lock, fence } = keysFor('counter');
    await redis.set(fence, '41');
    expect(await run(redis, lockAcquire, [lock, fence], ['owner-a', 1000])).toEqual([1, 42]);
  });

  it('does not bump the counter when the lock is held', async () => {
    const { lock, fence } = keysFor('no-bump');
    await run(redis, lockAcquire, [lock, fence], ['owner-a', 5000]);
    await run(redis, lockAcquire, [lock, fence], ['owner-b', 5000]);
    await run(redis, lockAcquire, [lock, fence], ['owner-c', 5000]);
    expect(await redis.get(fence)).toBe('1');
  });

  it('without KEYS[2] returns {1, 0} and creates no counter', async () => {
    const { lock, fence } = keysFor('no-fence');
    expect(await run(redis, lockAcquire, [lock], ['owner-a', 1000])).toEqual([1, 0]);
    expect(await redis.get(lock)).toBe('owner-a');
    expect(await redis.exists(fence)).toBe(0);
  });

  it('reports pttl -1 when the holder set no expiry', async () => {
    const { lock, fence } = keysFor('no-expiry');
    await redis.set(lock, 'someone');
    expect(await run(redis, lockAcquire, [lock, fence], ['owner-a', 1000])).toEqual([0, -1]);
    expect(await redis.get(lock)).toBe('someone');
  });

  it('can take the lock again once the ttl has elapsed', async () => {
    const { lock, fence } = keysFor('expired');
    expect(await run(redis, lockAcquire, [lock, fence], ['owner-a', 30])).toEqual([1, 1]);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await run(redis, lockAcquire, [lock, fence], ['owner-b', 1000])).toEqual([1, 2]);
    expect(await redis.get(lock)).toBe('owner-b');
  });

  it('honours long ttls', async () => {
    const { lock } = keysFor('long');
    await run(redis, lockAcquire, [lock], ['owner-a', 3_600_000]);
    expectPttl(await redis.pttl(lock), 3_600_000);
  });

  it('treats a key of another type as held (SET NX does not overwrite it)', async () => {
    const { lock, fence } = keysFor('wrongtype');
    await redis.hset(lock, 'field', 'value');
    expect(await run(redis, lockAcquire, [lock, fence], ['owner-a', 1000])).toEqual([0, -1]);
    expect(await redis.type(lock)).toBe('hash');
    expect(await redis.exists(fence)).toBe(0);
  });

  it.each([['0'], ['-5'], ['1.5'], ['soon'], ['']])('rejects ttl %j and creates nothing', async (ttl) => {
    const { lock, fence } = keysFor('bad-ttl');
    await expect(run(redis, lockAcquire, [lock, fence], ['owner-a', ttl])).rejects.toThrow(
      /lock_acquire: ttl must be a positive integer/,
    );
    expect(await redis.exists(lock, fence)).toBe(0);
  });

  it('rejects an empty token and creates nothing', async () => {
    const { lock, fence } = keysFor('bad-token');
    await expect(run(redis, lockAcquire, [lock, fence], ['', 1000])).rejects.toThrow(
      /lock_acquire: token must be a non-empty string/,
    );
    expect(await redis.exists(lock, fence)).toBe(0);
  });
});
