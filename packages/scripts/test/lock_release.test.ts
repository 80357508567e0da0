import { describe, expect, it } from 'vitest';
import { lockRelease } from '../src/index.js';
import { expectPttl, lockKeys, run, type Subscription, useScriptFixture } from './helpers.js';

describe('lock_release', () => {
  const { redis, created, listen } = useScriptFixture(lockRelease);
  const keysFor = (label: string) => {
    const keys = lockKeys(`lock_release:${label}`);
    created.push(keys.lock);
    return keys;
  };
  /**
   * Asserts nothing was published on `channel` so far: a sentinel published afterwards on the same
   * channel must be the first message to arrive (a subscriber sees one channel's messages in order).
   */
  const expectNothingPublished = async (subscription: Subscription, channel: string, sharded = false) => {
    await (sharded ? redis.spublish(channel, 'sentinel') : redis.publish(channel, 'sentinel'));
    expect(await subscription.next()).toBe('sentinel');
    expect(subscription.pending).toEqual([]);
  };

  it('has a generated sha1 equal to SCRIPT LOAD and declares its keys and args', async () => {
    expect(await redis.script('LOAD', lockRelease.source)).toBe(lockRelease.sha1);
    expect(lockRelease.keys).toEqual(['lock']);
    expect(lockRelease.args).toEqual(['token', 'channel', 'message', 'publishCommand']);
  });

  it('returns 1, deletes the lock and publishes the message when the token owns it', async () => {
    const { lock, channel } = keysFor('owner');
    const subscription = await listen(channel);
    await redis.set(lock, 'owner-a', 'PX', 5000);
    expect(await run(redis, lockRelease, [lock], ['owner-a', channel, 'released:owner-a'])).toBe(1);
    expect(await redis.exists(lock)).toBe(0);
    expect(await subscription.next()).toBe('released:owner-a');
  });

  it('publishes with SPUBLISH when asked to', async () => {
    const { lock, channel } = keysFor('spublish');
    const subscription = await listen(channel, true);
    await redis.set(lock, 'owner-a', 'PX', 5000);
    expect(await run(redis, lockRelease, [lock], ['owner-a', channel, 'sharded', 'spublish'])).toBe(1);
    expect(await subscription.next()).toBe('sharded');
  });

  it("publishes an empty message when ARGV[3] is absent, with 'publish' as the default command", async () => {
    const { lock, channel } = keysFor('defaults');
    const subscription = await listen(channel);
    await redis.set(lock, 'owner-a', 'PX', 5000);
    expect(await run(redis, lockRelease, [lock], ['owner-a', channel])).toBe(1);
    expect(await subscription.next()).toBe('');
  });

  it("treats an empty publish command as 'publish'", async () => {
    const { lock, channel } = keysFor('empty-command');
    const subscription = await listen(channel);
    await redis.set(lock, 'owner-a', 'PX', 5000);
    expect(await run(redis, lockRelease, [lock], ['owner-a', channel, 'm', ''])).toBe(1);
    expect(await subscription.next()).toBe('m');
  });

  it('releases without publishing when no channel is given', async () => {
    const { lock, channel } = keysFor('no-channel');
    const subscription = await listen(channel);
    await redis.set(lock, 'owner-a', 'PX', 5000);
    expect(await run(redis, lockRelease, [lock], ['owner-a'])).toBe(1);
    expect(await redis.exists(lock)).toBe(0);
    await redis.set(lock, 'owner-b', 'PX', 5000);
    expect(await run(redis, lockRelease, [lock], ['owner-b', '', 'ignored'])).toBe(1);
    expect(await redis.exists(lock)).toBe(0);
    await expectNothingPublished(subscription, channel);
  });

  it('returns 0 for a missing (expired) lock and publishes nothing', async () => {
    const { lock, channel } = keysFor('missing');
    const subscription = await listen(channel);
    expect(await run(redis, lockRelease, [lock], ['owner-a', channel, 'released'])).toBe(0);
    expect(await redis.exists(lock)).toBe(0);
    await expectNothingPublished(subscription, channel);
  });

  it('returns 0 after the ttl has elapsed', async () => {
    const { lock, channel } = keysFor('expired');
    const subscription = await listen(channel);
    await redis.set(lock, 'owner-a', 'PX', 30);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await run(redis, lockRelease, [lock], ['owner-a', channel, 'released'])).toBe(0);
    await expectNothingPublished(subscription, channel);
  });

  it('is idempotent: a second release returns 0 and publishes only once', async () => {
    const { lock, channel } = keysFor('twice');
    const subscription = await listen(channel);
    await redis.set(lock, 'owner-a', 'PX', 5000);
    expect(await run(redis, lockRelease, [lock], ['owner-a', channel, 'released'])).toBe(1);
    expect(await run(redis, lockRelease, [lock], ['owner-a', channel, 'released'])).toBe(0);
    expect(await subscription.next()).toBe('released');
    await expectNothingPublished(subscription, channel);
  });

  it('returns -1 for another token: nothing deleted, ttl kept, nothing published', async () => {
    const { lock, channel } = keysFor('not-owner');
    const subscription = await listen(channel);
    await redis.set(lock, 'owner-a', 'PX', 5000);
    expect(await run(redis, lockRelease, [lock], ['owner-b', channel, 'released'])).toBe(-1);
    expect(await redis.get(lock)).toBe('owner-a');
    expectPttl(await redis.pttl(lock), 5000);
    await expectNothingPublished(subscription, channel);
  });

  it('publishes nothing on SPUBLISH either when not the owner', async () => {
    const { lock, channel } = keysFor('not-owner-sharded');
    const subscription = await listen(channel, true);
    await redis.set(lock, 'owner-a', 'PX', 5000);
    expect(await run(redis, lockRelease, [lock], ['owner-b', channel, 'released', 'spublish'])).toBe(-1);
    await expectNothingPublished(subscription, channel, true);
  });

  it('surfaces WRONGTYPE for a key that is not a string and leaves it alone', async () => {
    const { lock, channel } = keysFor('wrongtype');
    const subscription = await listen(channel);
    await redis.hset(lock, 'field', 'value');
    await expect(run(redis, lockRelease, [lock], ['owner-a', channel, 'released'])).rejects.toThrow(
      /WRONGTYPE/,
    );
    expect(await redis.hget(lock, 'field')).toBe('value');
    await expectNothingPublished(subscription, channel);
  });

  it('rejects an unknown publish command before touching the lock', async () => {
    const { lock, channel } = keysFor('bad-command');
    await redis.set(lock, 'owner-a', 'PX', 5000);
    await expect(run(redis, lockRelease, [lock], ['owner-a', channel, 'm', 'del'])).rejects.toThrow(
      /publishCommand must be 'publish' or 'spublish'/,
    );
    expect(await redis.get(lock)).toBe('owner-a');
  });
});
