import { expect, it } from 'vitest';
import type { SuiteFixture } from '../fixture.js';
import { expectLockFailure, expectRefused, forgeLock, sleep } from '../helpers.js';
import { describeGroup } from './describe-group.js';
import { conformanceGroups } from './titles.js';

/** 3. Only the owner token releases or extends a lock. */
export function ownershipGroup(f: SuiteFixture): void {
  describeGroup(f, conformanceGroups.ownership, () => {
    it('answers not-owner to the release of a forged lock, and the holder keeps the lock', async () => {
      const resource = f.resource('forged-release');
      const holder = await f.strategy.tryAcquire(resource, { ttl: f.t(5000) });
      expect(holder).not.toBeNull();
      try {
        expect(await f.other.release(forgeLock(resource, { template: holder! }))).toBe('not-owner');
        expect(await f.strategy.inspect(resource)).not.toBeNull();
        await expectRefused(f.other.tryAcquire(resource, { ttl: f.t(1000) }));
        expect(holder!.signal.aborted).toBe(false);
        expect(await holder!.release()).toBe('released');
      } finally {
        await holder!.release();
      }
    });

    it('answers not-owner to the release of a stale lock, and the new holder is untouched', async () => {
      const resource = f.resource('stale-release');
      const ttl = f.t(150);
      const stale = await f.strategy.tryAcquire(resource, { ttl });
      expect(stale).not.toBeNull();
      await sleep(ttl + f.t(100));
      const current = await f.other.tryAcquire(resource, { ttl: f.t(5000) });
      expect(current, 'the expired lock should be free to take').not.toBeNull();
      try {
        expect(await stale!.release()).toBe('not-owner');
        expect(await f.other.inspect(resource)).not.toBeNull();
        await expectRefused(f.strategy.tryAcquire(resource, { ttl: f.t(1000) }));
        expect(current!.signal.aborted).toBe(false);
        expect(await current!.release()).toBe('released');
      } finally {
        await current!.release();
      }
    });

    it('rejects the extension of a forged lock with LockLostError, and the holder is untouched', async () => {
      const resource = f.resource('forged-extend');
      const ttl = f.t(3000);
      const holder = await f.strategy.tryAcquire(resource, { ttl });
      expect(holder).not.toBeNull();
      try {
        await expectLockFailure(
          () => f.other.extend(forgeLock(resource, { template: holder! }), f.t(60_000)),
          'LOCK_LOST',
          'extend of a forged lock',
        );
        const info = await f.strategy.inspect(resource);
        expect(info).not.toBeNull();
        expect(info!.ttl, 'the forged extension must not have changed the ttl').toBeLessThanOrEqual(ttl);
        expect(holder!.signal.aborted).toBe(false);
        await holder!.extend(ttl);
        expect(await holder!.release()).toBe('released');
      } finally {
        await holder!.release();
      }
    });

    it('rejects the extension of a stale lock with LockLostError, and the new holder keeps its ttl', async () => {
      const resource = f.resource('stale-extend');
      const ttl = f.t(150);
      const stale = await f.strategy.tryAcquire(resource, { ttl });
      await sleep(ttl + f.t(100));
      const currentTtl = f.t(3000);
      const current = await f.other.tryAcquire(resource, { ttl: currentTtl });
      expect(current, 'the expired lock should be free to take').not.toBeNull();
      try {
        await expectLockFailure(() => stale!.extend(f.t(60_000)), 'LOCK_LOST', 'extend of a stale lock');
        const info = await f.other.inspect(resource);
        expect(info).not.toBeNull();
        expect(info!.ttl).toBeLessThanOrEqual(currentTtl);
        await expectRefused(f.strategy.tryAcquire(resource, { ttl: f.t(1000) }));
        expect(await current!.release()).toBe('released');
      } finally {
        await current!.release();
      }
    });
  });
}
